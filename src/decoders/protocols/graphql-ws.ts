/** STUB: replaced by the real decoder. */
import type { Decoder } from '../types';

export const graphqlWsDecoder: Decoder = { id: 'graphql-ws', label: 'GraphQL (graphql-transport-ws)', subprotocols: [], sniff: () => 0, session: () => ({ decode: () => null }) };
export const subscriptionsTransportWsDecoder: Decoder = { id: 'subscriptions-transport-ws', label: 'GraphQL (subscriptions-transport-ws)', subprotocols: [], sniff: () => 0, session: () => ({ decode: () => null }) };
