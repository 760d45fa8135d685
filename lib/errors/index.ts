/** Shared error codes and the coded application error. */
export { ErrorCodes, AppError, type ErrorKind, type ErrorCode } from './codes';
