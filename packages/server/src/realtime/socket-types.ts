import type { ClientToServerEvents, ServerToClientEvents } from '@slotcast/protocol';
import type { Server, Socket } from 'socket.io';
import type { SocketData } from './handshake-auth.js';

// The gateway's typed server and socket, apart from gateway.ts so that the parts it wires can name them without
// importing the gateway back.
export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
