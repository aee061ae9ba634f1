//go:build amd64 && !purego

#include "textflag.h"

// func Dots4x8(x *float64, d, ldx int, p, out *float64, ldg int)
//
// out[r*ldg+c] = Σ_j x[r*ldx+j]·p[j*8+c] for four rows r and eight columns c,
// with AVX2 fused multiply-adds: eight accumulators (two per row) over the
// d steps, each step broadcasting one value of every row against the
// panel's eight values of that step.
TEXT ·Dots4x8(SB), NOSPLIT, $0-48
	MOVQ x+0(FP), SI
	MOVQ d+8(FP), CX
	MOVQ ldx+16(FP), R8
	MOVQ p+24(FP), DI
	MOVQ out+32(FP), DX
	MOVQ ldg+40(FP), R9
	SHLQ $3, R8
	SHLQ $3, R9
	LEAQ (SI)(R8*1), R10
	LEAQ (R10)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	TESTQ CX, CX
	JZ store

loop:
	VMOVUPD (DI), Y8
	VMOVUPD 32(DI), Y9
	VBROADCASTSD (SI), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VBROADCASTSD (R10), Y11
	VFMADD231PD Y8, Y11, Y2
	VFMADD231PD Y9, Y11, Y3
	VBROADCASTSD (R11), Y12
	VFMADD231PD Y8, Y12, Y4
	VFMADD231PD Y9, Y12, Y5
	VBROADCASTSD (R12), Y13
	VFMADD231PD Y8, Y13, Y6
	VFMADD231PD Y9, Y13, Y7
	ADDQ $8, SI
	ADDQ $8, R10
	ADDQ $8, R11
	ADDQ $8, R12
	ADDQ $64, DI
	DECQ CX
	JNZ loop

store:
	VMOVUPD Y0, (DX)
	VMOVUPD Y1, 32(DX)
	ADDQ R9, DX
	VMOVUPD Y2, (DX)
	VMOVUPD Y3, 32(DX)
	ADDQ R9, DX
	VMOVUPD Y4, (DX)
	VMOVUPD Y5, 32(DX)
	ADDQ R9, DX
	VMOVUPD Y6, (DX)
	VMOVUPD Y7, 32(DX)
	VZEROUPPER
	RET

// func Dots1x8(x *float64, d int, p, out *float64)
//
// out[c] = Σ_j x[j]·p[j*8+c] for one row and eight columns.
TEXT ·Dots1x8(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ d+8(FP), CX
	MOVQ p+16(FP), DI
	MOVQ out+24(FP), DX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	TESTQ CX, CX
	JZ store1

loop1:
	VBROADCASTSD (SI), Y10
	VFMADD231PD (DI), Y10, Y0
	VFMADD231PD 32(DI), Y10, Y1
	ADDQ $8, SI
	ADDQ $64, DI
	DECQ CX
	JNZ loop1

store1:
	VMOVUPD Y0, (DX)
	VMOVUPD Y1, 32(DX)
	VZEROUPPER
	RET

// func Dot4(x *float64, ldx int, beta *float64, d int, out *float64)
//
// out[r] = Σ_{j<d} x[r*ldx+j]·beta[j] for four rows r, d a multiple of four:
// one accumulator of four lanes per row, summed across its lanes at the end.
TEXT ·Dot4(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ ldx+8(FP), R8
	MOVQ beta+16(FP), DI
	MOVQ d+24(FP), CX
	MOVQ out+32(FP), DX
	SHLQ $3, R8
	LEAQ (SI)(R8*1), R10
	LEAQ (R10)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	SHRQ $2, CX
	JZ sum4

loop4:
	VMOVUPD (DI), Y8
	VFMADD231PD (SI), Y8, Y0
	VFMADD231PD (R10), Y8, Y1
	VFMADD231PD (R11), Y8, Y2
	VFMADD231PD (R12), Y8, Y3
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	DECQ CX
	JNZ loop4

sum4:
	// Y4 = [a0+a1, b0+b1, a2+a3, b2+b3], Y5 the same for rows 2 and 3.
	VHADDPD Y1, Y0, Y4
	VHADDPD Y3, Y2, Y5
	VPERM2F128 $0x20, Y5, Y4, Y6
	VPERM2F128 $0x31, Y5, Y4, Y7
	VADDPD Y7, Y6, Y6
	VMOVUPD Y6, (DX)
	VZEROUPPER
	RET

// func AddScaled4(acc *float64, d int, x *float64, ldx int, r *float64)
//
// acc[j] += r[0]·x[j] + r[1]·x[ldx+j] + r[2]·x[2ldx+j] + r[3]·x[3ldx+j] for
// j < d, d a multiple of four.
TEXT ·AddScaled4(SB), NOSPLIT, $0-40
	MOVQ acc+0(FP), DI
	MOVQ d+8(FP), CX
	MOVQ x+16(FP), SI
	MOVQ ldx+24(FP), R8
	MOVQ r+32(FP), DX
	SHLQ $3, R8
	LEAQ (SI)(R8*1), R10
	LEAQ (R10)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	VBROADCASTSD (DX), Y10
	VBROADCASTSD 8(DX), Y11
	VBROADCASTSD 16(DX), Y12
	VBROADCASTSD 24(DX), Y13
	SHRQ $2, CX
	JZ done4

gloop:
	VMULPD (SI), Y10, Y0
	VMULPD (R11), Y12, Y1
	VFMADD231PD (R10), Y11, Y0
	VFMADD231PD (R12), Y13, Y1
	VADDPD Y1, Y0, Y0
	VADDPD (DI), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R10
	ADDQ $32, R11
	ADDQ $32, R12
	DECQ CX
	JNZ gloop

done4:
	VZEROUPPER
	RET
