/** Why a client token was refused; `description` goes to the client in WWW-Authenticate. */
export class InvalidToken extends Error {
  constructor(
    readonly reason: string,
    readonly description: string,
  ) {
    super(description);
  }
}
