//go:build !purego

#include "textflag.h"

// The kernels render n pixels (a multiple of 8) of nch (1..4) channels.
// Per 8 pixels and channel: a widening load turns 8 samples into 32-bit
// indices, VPGATHERDD fetches their table entries (bytes r, g, b, 0) and
// VPADDUSB adds them with per-byte saturation, which equals clamping the
// sum because every entry is non-negative. The gather consumes its mask, so
// each one gets a fresh all-ones mask, and its destination is zeroed first
// to break the dependency on the register's old value. The two kernels
// differ only in the widening load (bytes or 16-bit words).

// CHANNEL adds a channel's contribution to Y0: LOADOP widens the 8 samples
// at ROW + AX*SCALE into IDX; TAB holds the channel's table address.
#define CHANNEL(LOADOP, ROW, SCALE, IDX, MASK, GOT, TAB) \
	LOADOP (ROW)(AX*SCALE), IDX; \
	VPCMPEQD   MASK, MASK, MASK; \
	VPXOR      GOT, GOT, GOT; \
	VPGATHERDD MASK, (TAB)(IDX*4), GOT; \
	VPADDUSB   GOT, Y0, Y0

// SETUP loads the arguments: DI out, R8-R11 the channels' rows, DX/R12-R14
// their tables, CX the channel count, BX the pixel count, Y7 opaque alpha,
// AX the pixel index.
#define SETUP \
	MOVQ out+0(FP), DI; \
	MOVQ rows+8(FP), SI; \
	MOVQ tabs+16(FP), DX; \
	MOVQ nch+24(FP), CX; \
	MOVQ n+32(FP), BX; \
	MOVQ 0(SI), R8; \
	MOVQ 8(SI), R9; \
	MOVQ 16(SI), R10; \
	MOVQ 24(SI), R11; \
	LEAQ 262144(DX), R12; \
	LEAQ 524288(DX), R13; \
	LEAQ 786432(DX), R14; \
	MOVL $0xFF000000, AX; \
	MOVQ AX, X7; \
	VPBROADCASTD X7, Y7; \
	XORQ AX, AX

// func addRows16AVX2(out *uint32, rows *[4]*uint16, tabs *[4][65536]uint32, nch, n int)
TEXT ·addRows16AVX2(SB), NOSPLIT, $0-40
	SETUP

loop16:
	CMPQ AX, BX
	JAE  done16
	VPMOVZXWD (R8)(AX*2), Y1
	VPCMPEQD  Y15, Y15, Y15
	VPXOR     Y0, Y0, Y0
	VPGATHERDD Y15, (DX)(Y1*4), Y0
	CMPQ CX, $2
	JB   store16
	CHANNEL(VPMOVZXWD, R9, 2, Y2, Y14, Y3, R12)
	CMPQ CX, $3
	JB   store16
	CHANNEL(VPMOVZXWD, R10, 2, Y4, Y13, Y5, R13)
	CMPQ CX, $4
	JB   store16
	CHANNEL(VPMOVZXWD, R11, 2, Y6, Y12, Y8, R14)

store16:
	VPOR    Y7, Y0, Y0
	VMOVDQU Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     loop16

done16:
	VZEROUPPER
	RET

// func addRows8AVX2(out *uint32, rows *[4]*uint8, tabs *[4][65536]uint32, nch, n int)
TEXT ·addRows8AVX2(SB), NOSPLIT, $0-40
	SETUP

loop8:
	CMPQ AX, BX
	JAE  done8
	VPMOVZXBD (R8)(AX*1), Y1
	VPCMPEQD  Y15, Y15, Y15
	VPXOR     Y0, Y0, Y0
	VPGATHERDD Y15, (DX)(Y1*4), Y0
	CMPQ CX, $2
	JB   store8
	CHANNEL(VPMOVZXBD, R9, 1, Y2, Y14, Y3, R12)
	CMPQ CX, $3
	JB   store8
	CHANNEL(VPMOVZXBD, R10, 1, Y4, Y13, Y5, R13)
	CMPQ CX, $4
	JB   store8
	CHANNEL(VPMOVZXBD, R11, 1, Y6, Y12, Y8, R14)

store8:
	VPOR    Y7, Y0, Y0
	VMOVDQU Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     loop8

done8:
	VZEROUPPER
	RET
