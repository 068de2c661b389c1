// Package ctxio stops long reads (copies, checksums, uploads) once their
// context has ended: io.Copy looks at no context, and a file of gigabytes
// would be read to its end after the user cancelled.
package ctxio

import (
	"context"
	"io"
)

// Reader reads r until ctx ends; then each Read returns ctx's error.
func Reader(ctx context.Context, r io.Reader) io.Reader { return reader{ctx, r} }

type reader struct {
	ctx context.Context
	r   io.Reader
}

func (c reader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
