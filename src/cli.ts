// OPS-6: the `tessera` process (bin/tessera.js): runs one command of src/cli-main.ts with this
// process's arguments, environment and terminal, and exits with its code (serve keeps running).
import { runCli } from './cli-main.ts';

const io = { out: (s: string) => { process.stdout.write(s); }, err: (s: string) => { process.stderr.write(s); }, tty: Boolean(process.stderr.isTTY) };
const code = await runCli(process.argv.slice(2), io);
if (code >= 0) process.exit(code);
