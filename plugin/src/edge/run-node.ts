/**
 * Runs the plugin as buf runs it: a CodeGeneratorRequest on stdin, the response on stdout, a
 * failure as a message on stderr and exit code 1 (as protoplugin's runNodeJs reports it).
 *
 * The request is read lean (`readRequest`) and the response is written one file at a time
 * (`filePartInto`, into one reused buffer), so neither the whole decoded source info nor every
 * generated text is ever held.
 * Every check that can reject a contract (the model's rules, each format's `check`) runs before
 * the first byte is written, so a rejected contract leaves stdout empty. What an emitter may still
 * throw half way is a guard against its own bugs (LookML's check that no two views share a name
 * needs every view built); then the exit code tells buf (and protoc) to discard the partial
 * response: neither writes any file of a plugin that failed.
 *
 * bin/protoc-gen-entity runs this in a worker thread with a smaller young generation (peak
 * memory); it works the same in the main thread, which is why it reads and writes the file
 * descriptors 0, 1 and 2 itself rather than through process.stdin, stdout and stderr.
 */
import { once } from "node:events";
import { readSync, writeSync } from "node:fs";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { OutputFile } from "../emit/emitter.js";
import { modelOfOwnedRequest } from "./plugin-entry.js";
import { generateFromModel } from "../plugin.js";
import { PLUGIN_NAME, PLUGIN_VERSION } from "../version.js";
import { readRequest } from "../protocol/request.js";
import { capabilitiesPart, filePartInto } from "../protocol/response.js";

/**
 * V8 lets a heap grow to several times what survived the last full collection before it collects
 * again. A plugin run is one batch whose live data (the descriptors and the model) is small next
 * to the short-lived text its emitters make, so it would end at several times the memory it needs:
 * 460 to 510 MB peak RSS on the 1,000-entity benchmark, against 330 to 350 MB with a growth factor
 * of 1.25, in the same time within the noise (`npm run bench`). Since then the other savings made
 * 1.25 end at 248–249 MB, too close to the 250 MB target; 1.20 ends at 234–240 MB, and 1.15 was
 * no lower for more collections (docs/benchmarks.md, 2026-11-30). Set before the request is read,
 * while the heap is still near empty.
 */
const HEAP_GROWING_PERCENT = 20;

export async function runPluginOnStdio(args: readonly string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "-v" || args[0] === "--version")) {
    await write(`${PLUGIN_NAME} v${PLUGIN_VERSION}\n`);
    await flushed();
    return 0;
  }
  if (args.length > 0) {
    process.stderr.write(`${PLUGIN_NAME}: unknown command "${args[0]}". Without arguments it reads a CodeGeneratorRequest on stdin; ${PLUGIN_NAME} --help lists the commands.\n`);
    return 1;
  }
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  try {
    const files = generateFromBytes(readStdin());
    writeAllToStdout(capabilitiesPart());
    let scratch: Buffer = Buffer.allocUnsafe(SCRATCH_BYTES);
    for (const file of files) {
      const part = filePartInto(file, scratch);
      writeAllToStdout(part);
      // The next part reuses the largest buffer a part needed so far.
      if (part.buffer !== scratch.buffer) scratch = part;
    }
    return 0;
  } catch (error) {
    writeAllTo(STDERR, Buffer.from(`${PLUGIN_NAME}: ${error instanceof Error ? error.message : String(error)}\n`));
    return 1;
  }
}

/**
 * Decodes the request and runs the core's checks; the request itself is let go when this
 * returns. The registry keeps the file descriptors the emitters read; what only the request
 * held goes: proto_file's copy of each file to generate (source_file_descriptors has the one
 * with source-retention options, which the registry takes), and the source info, which the
 * model has read (it goes as soon as the model is built).
 */
function generateFromBytes(bytes: Uint8Array): Iterable<OutputFile> {
  const { model, inputs } = modelOfOwnedRequest(readRequest(bytes));
  collectGarbage();
  return generateFromModel(model, inputs);
}

/**
 * The whole of stdin, read synchronously from fd 0: the run may be a worker thread
 * (bin/protoc-gen-entity), which has no stdin stream of its own. A non-blocking stdin answers
 * EAGAIN when the pipe is empty: wait a moment and read on.
 */
function readStdin(): Uint8Array {
  let buffer = Buffer.allocUnsafe(1 << 20);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const larger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(larger, 0, 0, length);
      buffer = larger;
    }
    let read: number;
    try {
      read = readSync(STDIN, buffer, length, buffer.length - length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(PAUSE, 0, 0, 1);
        continue;
      }
      if (code === "EOF") break;
      throw error;
    }
    if (read === 0) break;
    length += read;
  }
  // A copy of the exact size, so that the spare room of the last doubling is not kept.
  return Uint8Array.prototype.slice.call(buffer, 0, length);
}

/**
 * Writes a part of the response on fd 1 before the next file is rendered: synchronously, so that
 * no part waits in a stream's queue (the pipe's own buffer is the only one) and a slow reader
 * slows the run down instead of filling the memory. bin/protoc-gen-entity keeps the pipe blocking,
 * so a write on a full pipe sleeps in the kernel until the reader makes room. A stdout made
 * non-blocking by whoever started the plugin answers EAGAIN instead: wait a moment and write the rest.
 */
function writeAllToStdout(bytes: Uint8Array): void {
  writeAllTo(STDOUT, bytes);
}

function writeAllTo(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(PAUSE, 0, 0, 1);
    }
  }
}

/**
 * One full collection once the model is built and the source info let go. V8 sizes the heap from
 * what survived its last full collection, and the last one ran while the model was being built,
 * with the whole source info alive: the checks and the first formats would then fill a heap sized
 * for more than the run keeps (the descriptors and the model). That is where the run's memory
 * peaked; collected here, the peak of the 1,000-entity benchmark fell by 5-15 MB
 * (docs/benchmarks.md, 2026-11-30, round 5), for one collection of ~50 ms.
 */
function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** The output buffer's first size; it grows to the largest part. */
const SCRATCH_BYTES = 1 << 20;
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
/** Something to block on for a millisecond while a full pipe drains. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** The version line, through the stream (the response goes through writeAllToStdout). */
async function write(bytes: Uint8Array | string): Promise<void> {
  if (!process.stdout.write(bytes)) await once(process.stdout, "drain");
}

function flushed(): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write("", (error) => (error ? reject(error) : resolve())));
}
