import type { ErrorCode } from '@slotcast/protocol';
import type { errorCodes } from 'fastify';

/**
 * Every error Fastify defines, and what a client is told if it reaches one. `wiring` errors are thrown while the
 * server is assembled (plugins, routes, hooks, options), before it listens, and never while serving a request;
 * `INTERNAL` ones are a bug of ours met while answering (a reply sent twice). Everything a client can cause has a
 * 4xx code. Typed over Fastify's own list, so an upgrade that adds a code fails the type-check until it is placed.
 */
export const FASTIFY_ERRORS: Record<keyof typeof errorCodes, ErrorCode | 'wiring'> = {
  // What the client sent.
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
  FST_ERR_INVALID_URL: 'VALIDATION_FAILED',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_ROUTE_MISSING_CONTENT: 'VALIDATION_FAILED',
  FST_ERR_HANDLER_TIMEOUT: 'SERVICE_UNAVAILABLE',
  // A bug of ours while answering.
  FST_ERR_REP_ALREADY_SENT: 'INTERNAL',
  FST_ERR_REP_INVALID_PAYLOAD_TYPE: 'INTERNAL',
  FST_ERR_REP_READABLE_STREAM_LOCKED: 'INTERNAL',
  FST_ERR_REP_RESPONSE_BODY_CONSUMED: 'INTERNAL',
  FST_ERR_REP_SENT_VALUE: 'INTERNAL',
  FST_ERR_SEND_INSIDE_ONERR: 'INTERNAL',
  FST_ERR_SEND_UNDEFINED_ERR: 'INTERNAL',
  FST_ERR_BAD_STATUS_CODE: 'INTERNAL',
  FST_ERR_BAD_TRAILER_NAME: 'INTERNAL',
  FST_ERR_BAD_TRAILER_VALUE: 'INTERNAL',
  FST_ERR_FAILED_ERROR_SERIALIZATION: 'INTERNAL',
  FST_ERR_MISSING_SERIALIZATION_FN: 'INTERNAL',
  FST_ERR_MISSING_CONTENTTYPE_SERIALIZATION_FN: 'INTERNAL',
  FST_ERR_REQ_INVALID_VALIDATION_INVOCATION: 'INTERNAL',
  FST_ERR_HOOK_TIMEOUT: 'INTERNAL',
  FST_ERR_ASYNC_CONSTRAINT: 'INTERNAL',
  // Assembling the server.
  FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_ARR: 'wiring',
  FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_OBJ: 'wiring',
  FST_ERR_CTP_ALREADY_PRESENT: 'wiring',
  FST_ERR_CTP_EMPTY_TYPE: 'wiring',
  FST_ERR_CTP_INSTANCE_ALREADY_STARTED: 'wiring',
  FST_ERR_CTP_INVALID_HANDLER: 'wiring',
  FST_ERR_CTP_INVALID_PARSE_TYPE: 'wiring',
  FST_ERR_CTP_INVALID_TYPE: 'wiring',
  FST_ERR_DEC_AFTER_START: 'wiring',
  FST_ERR_DEC_ALREADY_PRESENT: 'wiring',
  FST_ERR_DEC_DEPENDENCY_INVALID_TYPE: 'wiring',
  FST_ERR_DEC_MISSING_DEPENDENCY: 'wiring',
  FST_ERR_DEC_REFERENCE_TYPE: 'wiring',
  FST_ERR_DEC_UNDECLARED: 'wiring',
  FST_ERR_DUPLICATED_ROUTE: 'wiring',
  FST_ERR_ERROR_HANDLER_ALREADY_SET: 'wiring',
  FST_ERR_ERROR_HANDLER_NOT_FN: 'wiring',
  FST_ERR_FORCE_CLOSE_CONNECTIONS_IDLE_NOT_AVAILABLE: 'wiring',
  FST_ERR_HOOK_INVALID_ASYNC_HANDLER: 'wiring',
  FST_ERR_HOOK_INVALID_HANDLER: 'wiring',
  FST_ERR_HOOK_INVALID_TYPE: 'wiring',
  FST_ERR_HOOK_NOT_SUPPORTED: 'wiring',
  FST_ERR_INIT_OPTS_INVALID: 'wiring',
  FST_ERR_INSTANCE_ALREADY_LISTENING: 'wiring',
  FST_ERR_LISTEN_OPTIONS_INVALID: 'wiring',
  FST_ERR_LOG_INVALID_DESTINATION: 'wiring',
  FST_ERR_LOG_INVALID_LOGGER: 'wiring',
  FST_ERR_LOG_INVALID_LOGGER_CONFIG: 'wiring',
  FST_ERR_LOG_INVALID_LOGGER_INSTANCE: 'wiring',
  FST_ERR_LOG_INVALID_LOG_CONTROLLER: 'wiring',
  FST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED: 'wiring',
  FST_ERR_MISSING_MIDDLEWARE: 'wiring',
  FST_ERR_OPTIONS_NOT_OBJ: 'wiring',
  FST_ERR_PARENT_PLUGIN_BOOTED: 'wiring',
  FST_ERR_PLUGIN_CALLBACK_NOT_FN: 'wiring',
  FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED: 'wiring',
  FST_ERR_PLUGIN_INVALID_ASYNC_HANDLER: 'wiring',
  FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE: 'wiring',
  FST_ERR_PLUGIN_NOT_VALID: 'wiring',
  FST_ERR_PLUGIN_TIMEOUT: 'wiring',
  FST_ERR_PLUGIN_VERSION_MISMATCH: 'wiring',
  FST_ERR_QSP_NOT_FN: 'wiring',
  FST_ERR_REOPENED_CLOSE_SERVER: 'wiring',
  FST_ERR_REOPENED_SERVER: 'wiring',
  FST_ERR_ROOT_PLG_BOOTED: 'wiring',
  FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT: 'wiring',
  FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED: 'wiring',
  FST_ERR_ROUTE_DUPLICATED_HANDLER: 'wiring',
  FST_ERR_ROUTE_HANDLER_NOT_FN: 'wiring',
  FST_ERR_ROUTE_HANDLER_TIMEOUT_OPTION_NOT_INT: 'wiring',
  FST_ERR_ROUTE_LOG_LEVEL_INVALID: 'wiring',
  FST_ERR_ROUTE_METHOD_INVALID: 'wiring',
  FST_ERR_ROUTE_METHOD_NOT_SUPPORTED: 'wiring',
  FST_ERR_ROUTE_MISSING_HANDLER: 'wiring',
  FST_ERR_ROUTE_OPTIONS_NOT_OBJ: 'wiring',
  FST_ERR_ROUTE_REWRITE_NOT_STR: 'wiring',
  FST_ERR_SCHEMA_CONTROLLER_BUCKET_OPT_NOT_FN: 'wiring',
  FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN: 'wiring',
  FST_ERR_SCH_ALREADY_PRESENT: 'wiring',
  FST_ERR_SCH_CONTENT_MISSING_SCHEMA: 'wiring',
  FST_ERR_SCH_DUPLICATE: 'wiring',
  FST_ERR_SCH_MISSING_ID: 'wiring',
  FST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX: 'wiring',
  FST_ERR_SCH_SERIALIZATION_BUILD: 'wiring',
  FST_ERR_SCH_VALIDATION_BUILD: 'wiring',
};

/** Errors of plugins and of Node's HTTP parser carry only a status; the client-side ones map by it. */
const BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'AUTH_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

/** Our code for an error raised by Fastify, a plugin or Node's HTTP layer; undefined when it is none of those. */
export function frameworkErrorCode(err: { code?: unknown; statusCode?: unknown }): ErrorCode | undefined {
  const known = typeof err.code === 'string' ? FASTIFY_ERRORS[err.code as keyof typeof errorCodes] : undefined;
  if (known) return known === 'wiring' ? 'INTERNAL' : known;
  // Node's parser refuses headers over --max-http-header-size before Fastify sees the request.
  if (err.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  if (typeof err.code === 'string' && err.code.startsWith('HPE_')) return 'VALIDATION_FAILED';
  return typeof err.statusCode === 'number' ? BY_STATUS[err.statusCode] : undefined;
}
