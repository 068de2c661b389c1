#include "textflag.h"

// func minMaxUint16Blocks(d []byte) (lo, hi uint16)
//
// d holds little-endian uint16 samples; len(d) is a non-zero multiple of 64.
// SSE2 (every amd64) has only signed 16-bit PMINSW/PMAXSW: each sample is
// biased by 0x8000 (XOR), which maps the unsigned order onto the signed one,
// and the results are unbiased at the end. Two minimum and two maximum
// accumulators keep the dependency chains short.
TEXT ·minMaxUint16Blocks(SB), NOSPLIT, $0-28
	MOVQ d_base+0(FP), SI
	MOVQ d_len+8(FP), CX
	SHRQ $6, CX
	MOVL $0x80008000, AX
	MOVQ AX, X15
	PSHUFD $0, X15, X15  // 0x8000 in every lane: the bias
	PCMPEQW X0, X0
	PXOR X15, X0         // 0x7fff: the biased 65535, the starting minimum
	MOVO X0, X1
	MOVO X15, X2         // 0x8000: the biased 0, the starting maximum
	MOVO X15, X3

loop:
	MOVOU 0(SI), X4
	MOVOU 16(SI), X5
	MOVOU 32(SI), X6
	MOVOU 48(SI), X7
	PXOR X15, X4
	PXOR X15, X5
	PXOR X15, X6
	PXOR X15, X7
	PMINSW X4, X0
	PMAXSW X4, X2
	PMINSW X5, X1
	PMAXSW X5, X3
	PMINSW X6, X0
	PMAXSW X6, X2
	PMINSW X7, X1
	PMAXSW X7, X3
	ADDQ $64, SI
	DECQ CX
	JNZ loop

	// Fold the eight lanes of each accumulator into one.
	PMINSW X1, X0
	PMAXSW X3, X2
	PSHUFD $0x4e, X0, X4
	PMINSW X4, X0
	PSHUFD $0xb1, X0, X4
	PMINSW X4, X0
	MOVO X0, X4
	PSRLL $16, X4
	PMINSW X4, X0
	PSHUFD $0x4e, X2, X4
	PMAXSW X4, X2
	PSHUFD $0xb1, X2, X4
	PMAXSW X4, X2
	MOVO X2, X4
	PSRLL $16, X4
	PMAXSW X4, X2

	MOVQ X0, AX
	XORL $0x8000, AX
	MOVW AX, lo+24(FP)
	MOVQ X2, AX
	XORL $0x8000, AX
	MOVW AX, hi+26(FP)
	RET
