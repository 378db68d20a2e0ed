/**
 * DataLoader's `batchScheduleFn` for loads that arrive from many sockets: one batch per turn of the event loop.
 *
 * DataLoader's default ends a batch with the tick, but Node runs each socket's I/O callback as a tick of its own: in
 * a reconnect storm every handshake's session check and every replay's read was a batch of one, three statements per
 * reconnecting client (docs/performance.md, "Reconnect storm, 2026-11-29 04:00"). Dispatching at setImmediate takes
 * in every load asked for while this turn's I/O callbacks ran; each still starts after it was asked for, so no caller
 * gets an older answer than a statement of its own would have given.
 */
export function batchPerTurn(dispatch: () => void): void {
  setImmediate(dispatch);
}
