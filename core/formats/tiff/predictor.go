package tiff

import (
	"encoding/binary"
	"math/bits"
)

// Predictors (tag 317).
const (
	PredictorNone       = 1
	PredictorHorizontal = 2
	PredictorFloat      = 3
)

// swapToLE converts a buffer of big-endian samples of size bytes each to
// little-endian in place (and, being a byte swap, little to big for the writer). It works a word at a time: this is on the path of
// every big-endian plane, so no per-sample interface calls.
func swapToLE(b []byte, size int) {
	switch size {
	case 2:
		i := 0
		for ; i+8 <= len(b); i += 8 {
			v := binary.LittleEndian.Uint64(b[i:])
			v = (v&0x00FF00FF00FF00FF)<<8 | (v&0xFF00FF00FF00FF00)>>8
			binary.LittleEndian.PutUint64(b[i:], v)
		}
		for ; i+2 <= len(b); i += 2 {
			b[i], b[i+1] = b[i+1], b[i]
		}
	case 4:
		i := 0
		for ; i+8 <= len(b); i += 8 {
			v := binary.LittleEndian.Uint64(b[i:])
			v = bits.ReverseBytes64(v)
			v = v<<32 | v>>32
			binary.LittleEndian.PutUint64(b[i:], v)
		}
		for ; i+4 <= len(b); i += 4 {
			binary.LittleEndian.PutUint32(b[i:], binary.BigEndian.Uint32(b[i:]))
		}
	case 8:
		for i := 0; i+8 <= len(b); i += 8 {
			binary.LittleEndian.PutUint64(b[i:], binary.BigEndian.Uint64(b[i:]))
		}
	}
}

// undoHorizontal reverses predictor 2 on little-endian samples: each sample
// of a row was stored as the difference from the same sample of the previous
// pixel. rowLen is the number of samples in a row, stride the samples per pixel.
func undoHorizontal(b []byte, size, rowLen, stride, rows int) {
	rowBytes := rowLen * size
	for y := 0; y < rows; y++ {
		row := b[y*rowBytes : (y+1)*rowBytes]
		switch size {
		case 1:
			for i := stride; i < len(row); i++ {
				row[i] += row[i-stride]
			}
		case 2:
			for i := stride * 2; i+2 <= len(row); i += 2 {
				v := binary.LittleEndian.Uint16(row[i:]) + binary.LittleEndian.Uint16(row[i-2*stride:])
				binary.LittleEndian.PutUint16(row[i:], v)
			}
		case 4:
			for i := stride * 4; i+4 <= len(row); i += 4 {
				v := binary.LittleEndian.Uint32(row[i:]) + binary.LittleEndian.Uint32(row[i-4*stride:])
				binary.LittleEndian.PutUint32(row[i:], v)
			}
		case 8:
			for i := stride * 8; i+8 <= len(row); i += 8 {
				v := binary.LittleEndian.Uint64(row[i:]) + binary.LittleEndian.Uint64(row[i-8*stride:])
				binary.LittleEndian.PutUint64(row[i:], v)
			}
		}
	}
}

// applyHorizontal is the inverse of undoHorizontal, for the writer.
func applyHorizontal(b []byte, size, rowLen, stride, rows int) {
	rowBytes := rowLen * size
	for y := 0; y < rows; y++ {
		row := b[y*rowBytes : (y+1)*rowBytes]
		switch size {
		case 1:
			for i := len(row) - 1; i >= stride; i-- {
				row[i] -= row[i-stride]
			}
		case 2:
			for i := len(row) - 2; i >= 2*stride; i -= 2 {
				v := binary.LittleEndian.Uint16(row[i:]) - binary.LittleEndian.Uint16(row[i-2*stride:])
				binary.LittleEndian.PutUint16(row[i:], v)
			}
		case 4:
			for i := len(row) - 4; i >= 4*stride; i -= 4 {
				v := binary.LittleEndian.Uint32(row[i:]) - binary.LittleEndian.Uint32(row[i-4*stride:])
				binary.LittleEndian.PutUint32(row[i:], v)
			}
		case 8:
			for i := len(row) - 8; i >= 8*stride; i -= 8 {
				v := binary.LittleEndian.Uint64(row[i:]) - binary.LittleEndian.Uint64(row[i-8*stride:])
				binary.LittleEndian.PutUint64(row[i:], v)
			}
		}
	}
}

// undoFloat reverses predictor 3 (Adobe's floating-point predictor): each
// row holds the bytes of its samples split into planes, most significant
// byte first whatever the file's byte order, then byte-wise differenced.
// The result is little-endian samples. tmp must hold one row.
func undoFloat(b, tmp []byte, size, rowLen, stride, rows int) {
	rowBytes := rowLen * size
	for y := 0; y < rows; y++ {
		row := b[y*rowBytes : (y+1)*rowBytes]
		for i := stride; i < len(row); i++ {
			row[i] += row[i-stride]
		}
		copy(tmp, row)
		for i := 0; i < rowLen; i++ {
			for k := 0; k < size; k++ {
				// byte k of the little-endian sample is plane size-1-k.
				row[i*size+k] = tmp[(size-1-k)*rowLen+i]
			}
		}
	}
}

// applyFloat is the inverse of undoFloat, for the writer: b holds
// little-endian samples and becomes the shuffled, differenced form.
func applyFloat(b, tmp []byte, size, rowLen, stride, rows int) {
	rowBytes := rowLen * size
	for y := 0; y < rows; y++ {
		row := b[y*rowBytes : (y+1)*rowBytes]
		copy(tmp, row)
		for i := 0; i < rowLen; i++ {
			for k := 0; k < size; k++ {
				row[(size-1-k)*rowLen+i] = tmp[i*size+k]
			}
		}
		for i := len(row) - 1; i >= stride; i-- {
			row[i] -= row[i-stride]
		}
	}
}
