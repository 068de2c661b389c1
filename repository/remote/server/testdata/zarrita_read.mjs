// Reads an image served by Ocular as OME-Zarr with zarrita (an OME-Zarr
// client no one in Ocular wrote) and prints what it read as one JSON line,
// for zarr_client_test.go to compare with the original file.
//
// Usage: node zarrita_read.mjs URL SESSION-KEY
//   URL is the image's group, e.g. http://127.0.0.1:PORT/zarr/v1/images/7/
// The script is run with NODE_PATH unset: it imports zarrita from the
// node_modules folder given in ZARRITA_MODULES (scripts/install-deps.sh test
// installs it there).
import path from "node:path";
import { pathToFileURL } from "node:url";

const [url, key] = process.argv.slice(2);
const modules = process.env.ZARRITA_MODULES;
const zarr = await import(pathToFileURL(path.join(modules, "zarrita", "dist", "src", "index.js")).href);

const store = new zarr.FetchStore(url, { overrides: { headers: { "X-Ocular-Session": key } } });
const root = zarr.root(store);
const group = await zarr.open.v2(root, { kind: "group" });
const ms = group.attrs.multiscales[0];
const out = { axes: ms.axes.map((a) => a.name), omero: group.attrs.omero, levels: [] };

for (const ds of ms.datasets) {
  const arr = await zarr.open.v2(root.resolve(ds.path), { kind: "array" });
  out.levels.push({ path: ds.path, shape: arr.shape, chunks: arr.chunks, dtype: arr.dtype, scale: ds.coordinateTransformations[0].scale });
}

// One chunk of full resolution: the last chunk of the last row (an edge
// chunk, padded by the server) of channel 1, plane z=1.
const full = await zarr.open.v2(root.resolve(ms.datasets[0].path), { kind: "array" });
const [T, C, Z, Y, X] = full.shape;
const [, , , cy, cx] = full.chunks;
const ky = Math.ceil(Y / cy) - 1, kx = Math.ceil(X / cx) - 1;
const chunk = await full.getChunk([0, Math.min(1, C - 1), Math.min(1, Z - 1), ky, kx]);
out.chunk = { coords: [0, Math.min(1, C - 1), Math.min(1, Z - 1), ky, kx], shape: chunk.shape, data: Array.from(chunk.data) };

// A downsampled level read whole through zarrita's slicing (it fetches
// and assembles every chunk the selection touches).
const last = ms.datasets[ms.datasets.length - 1];
const small = await zarr.open.v2(root.resolve(last.path), { kind: "array" });
const plane = await zarr.get(small, [0, 0, 0, null, null]);
out.reduced = { path: last.path, shape: plane.shape, data: Array.from(plane.data) };

// A hidden or missing image: zarrita must see no group there.
if (process.argv[4]) {
  try {
    await zarr.open.v2(zarr.root(new zarr.FetchStore(process.argv[4], { overrides: { headers: { "X-Ocular-Session": key } } })), { kind: "group" });
    out.hidden = "opened";
  } catch (e) {
    out.hidden = e.name + ": " + e.message;
  }
}
console.log(JSON.stringify(out));
