/**
 * @module cli/read-password
 * Reads a password for the CLI without it ever being a command-line argument (those end up in shell
 * history and in every user's process list): the first line of piped stdin, or a prompt on the terminal
 * that does not echo what is typed.
 */

/** Thrown when the user aborts the prompt (Ctrl-C) or no password arrives. */
export class PasswordInputError extends Error {
  override readonly name = 'PasswordInputError';
}

/**
 * Reads the password: from stdin when it is not a terminal, else by prompting twice on stderr.
 * @param input - @default process.stdin
 * @param output - where prompts go. @default process.stderr
 */
export async function readPassword(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  if (!input.isTTY) return readFirstLine(input);
  const password = await promptHidden(input, output, 'Password: ');
  const repeated = await promptHidden(input, output, 'Repeat password: ');
  if (password !== repeated) throw new PasswordInputError('The two passwords differ');
  return password;
}

async function readFirstLine(input: NodeJS.ReadStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk as Uint8Array);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (line === '') throw new PasswordInputError('No password on stdin (pipe it in, one line)');
  return line;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

function promptHidden(input: NodeJS.ReadStream, output: NodeJS.WriteStream, prompt: string): Promise<string> {
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error: Error | null): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === CTRL_C) {
          finish(new PasswordInputError('Cancelled'));
          return;
        }
        if (char === '\r' || char === '\n' || char === CTRL_D) {
          finish(null);
          return;
        }
        if (BACKSPACE.has(char)) typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}
