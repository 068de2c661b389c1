//go:build !purego

#include "textflag.h"

// func addRowsAVX2(out *uint32, rows *[4]*uint16, tabs *[4][65536]uint32, nch, n int)
//
// Per 8 pixels and channel: VPMOVZXWD widens 8 samples to 32-bit indices,
// VPGATHERDD fetches their table entries (bytes r, g, b, 0), VPADDUSB adds
// them with per-byte saturation, which equals clamping the sum because every
// entry is non-negative. The gather consumes its mask, so each one gets a
// fresh all-ones mask, and its destination is zeroed first to break the
// dependency on the register's old value.
TEXT ·addRowsAVX2(SB), NOSPLIT, $0-40
	MOVQ out+0(FP), DI
	MOVQ rows+8(FP), SI
	MOVQ tabs+16(FP), DX
	MOVQ nch+24(FP), CX
	MOVQ n+32(FP), BX
	MOVQ 0(SI), R8
	MOVQ 8(SI), R9
	MOVQ 16(SI), R10
	MOVQ 24(SI), R11
	LEAQ 262144(DX), R12 // table of channel 2
	LEAQ 524288(DX), R13 // channel 3
	LEAQ 786432(DX), R14 // channel 4
	MOVL $0xFF000000, AX
	MOVQ AX, X7
	VPBROADCASTD X7, Y7 // opaque alpha
	XORQ AX, AX

loop:
	CMPQ AX, BX
	JAE  done
	VPMOVZXWD (R8)(AX*2), Y1
	VPCMPEQD  Y15, Y15, Y15
	VPXOR     Y0, Y0, Y0
	VPGATHERDD Y15, (DX)(Y1*4), Y0
	CMPQ CX, $2
	JB   store
	VPMOVZXWD (R9)(AX*2), Y2
	VPCMPEQD  Y14, Y14, Y14
	VPXOR     Y3, Y3, Y3
	VPGATHERDD Y14, (R12)(Y2*4), Y3
	VPADDUSB  Y3, Y0, Y0
	CMPQ CX, $3
	JB   store
	VPMOVZXWD (R10)(AX*2), Y4
	VPCMPEQD  Y13, Y13, Y13
	VPXOR     Y5, Y5, Y5
	VPGATHERDD Y13, (R13)(Y4*4), Y5
	VPADDUSB  Y5, Y0, Y0
	CMPQ CX, $4
	JB   store
	VPMOVZXWD (R11)(AX*2), Y6
	VPCMPEQD  Y12, Y12, Y12
	VPXOR     Y8, Y8, Y8
	VPGATHERDD Y12, (R14)(Y6*4), Y8
	VPADDUSB  Y8, Y0, Y0

store:
	VPOR    Y7, Y0, Y0
	VMOVDQU Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     loop

done:
	VZEROUPPER
	RET
