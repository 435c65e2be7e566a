/**
 * Version of the messages that cross every hop (page hook → relay → router → panel).
 * Each hop refuses other versions, so that a relay left in a page by an older build (the
 * extension updated without the page reloading) never feeds the panel shapes it cannot read.
 */
export const PROTOCOL_VERSION = 1;
