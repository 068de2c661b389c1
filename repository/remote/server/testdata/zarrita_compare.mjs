// Compares, with zarrita, an image served by Ocular as OME-Zarr with the
// OME-Zarr image it was imported from (read by zarrita from disk, without
// Ocular's readers): same levels, same shapes, same values, every sample of
// every plane of every level. Prints one JSON line.
//
// Usage: node zarrita_compare.mjs URL SESSION-KEY FOLDER
//   URL     the image's group on the server, http://127.0.0.1:PORT/zarr/v1/images/7/
//   FOLDER  the original multiscale group (5-D, t c z y x) on disk
// zarrita is imported from ZARRITA_MODULES (see zarrita_read.mjs).
import path from "node:path";
import { pathToFileURL } from "node:url";

const [url, key, folder] = process.argv.slice(2);
const modules = process.env.ZARRITA_MODULES;
const zarr = await import(pathToFileURL(path.join(modules, "zarrita", "dist", "src", "index.js")).href);
const { default: FileSystemStore } = await import(pathToFileURL(path.join(modules, "@zarrita", "storage", "dist", "src", "fs.js")).href);

const served = zarr.root(new zarr.FetchStore(url, { overrides: { headers: { "X-Ocular-Session": key } } }));
const original = zarr.root(new FileSystemStore(folder));
const sg = await zarr.open.v2(served, { kind: "group" });
const og = await zarr.open.v2(original, { kind: "group" });
const sms = sg.attrs.multiscales[0], oms = og.attrs.multiscales[0];

const out = { servedLevels: sms.datasets.length, originalLevels: oms.datasets.length, levels: [], compared: 0, mismatches: 0 };
for (let i = 0; i < Math.min(sms.datasets.length, oms.datasets.length); i++) {
  const sa = await zarr.open.v2(served.resolve(sms.datasets[i].path), { kind: "array" });
  const oa = await zarr.open.v2(original.resolve(oms.datasets[i].path), { kind: "array" });
  out.levels.push({ served: sa.shape, original: oa.shape, servedDtype: sa.dtype, originalDtype: oa.dtype });
  if (sa.shape.join() !== oa.shape.join()) continue;
  const [T, C, Z] = sa.shape;
  for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) for (let z = 0; z < Z; z++) {
    const a = await zarr.get(sa, [t, c, z, null, null]);
    const b = await zarr.get(oa, [t, c, z, null, null]);
    for (let k = 0; k < b.data.length; k++) {
      out.compared++;
      if (a.data[k] !== b.data[k]) {
        if (out.mismatches++ === 0) out.first = { level: i, t, c, z, index: k, served: Number(a.data[k]), original: Number(b.data[k]) };
      }
    }
  }
}
console.log(JSON.stringify(out));
