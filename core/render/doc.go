// Package render turns planes of pixels into RGBA images: rendering settings
// (display windows, colours, lookup tables, mapping families, reverse
// intensity), their import defaults and copy/paste rules, projections,
// thumbnails, and the tiled viewport renderer for big pyramidal images.
//
// It is pure computation: no storage and no UI. Settings are plain structs
// with JSON tags that the repository persists as a RenderingDef. The mapping
// from pixel values to colours follows OMERO's rendering engine
// (QuantumStrategy and its PolynomialMap, ExponentialMap and LogarithmicMap,
// additive compositing of channels clamped at 255) so that users moving from
// OMERO see the same picture for the same settings.
//
// Concurrency: a Renderer or ViewportRenderer may be shared between
// goroutines (calls are serialised where they share cached tables); the
// package-level functions are safe for concurrent use.
package render

//go:generate go run ../../internal/tools/genluts -out ../../assets/luts
