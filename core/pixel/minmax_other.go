//go:build !amd64

package pixel

func minMaxUint16(d []byte) (uint16, uint16) { return minMaxUint16Generic(d) }
