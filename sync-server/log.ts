/** Where the server writes what it does. Never given a URL's query string or a token. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/** Quiet: errors only (tests start servers quietly). */
export const quietLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: (message) => console.error(message),
};
