import type { ClientToServerEvents, ServerToClientEvents } from '@slotcast/protocol';
import type { Server, Socket } from 'socket.io';
import type { SocketData } from './handshake-auth.js';

// The gateway's typed server and socket, apart from gateway.ts so that the parts it wires can name them without
// importing the gateway back.
export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Messages between the nodes of a cluster (through the adapter; a single node sends none). */
export interface InterServerEvents {
  /** A session was signed out on another node: close its sockets here. */
  'session:revoked': (sessionIds: readonly string[], message: string) => void;
}
