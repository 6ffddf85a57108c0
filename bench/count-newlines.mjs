#!/usr/bin/env node
/**
 * A floor for `npm run bench`: the least a Node program can do with a file, reading it into one
 * reused 1 MiB buffer and counting newlines with `Buffer.indexOf` (prints the count).
 */
import { closeSync, openSync, readSync } from "node:fs";

const fd = openSync(process.argv[2], "r");
const buf = Buffer.allocUnsafe(1 << 20);
let lines = 0;
for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) {
  for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
}
closeSync(fd);
console.log(lines);
