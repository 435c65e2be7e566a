/**
 * Socket numbers, unique within one document (or one worker). Shared by the WebSocket patch and
 * the worker links, because the document's own sockets and its workers' sockets are numbered
 * in one sequence: a command names a socket by this number alone.
 */
let last = 0;

export const nextSockId = (): number => ++last;
