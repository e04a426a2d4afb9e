; Data instructions on guest-physical holes (core/mem_alu.c): the memory
; operand reads all-ones, the write is dropped, and the registers and the
; arithmetic flags come out as on a real CPU with an empty bus there.
; test-cmdline: guest.mode=prot mem=64M
; test-module: guest
; test-expect: unmapped gpa 0xfec00000
; test-expect: PASS hole_alu
; test-status: 0
%include "lib.inc"
org 0x7c00
bits 32

%define HOLE 0xfec00000            ; the IOAPIC window: nothing there
%define PAST_RAM 0x8000000         ; 128 MiB, past the end of RAM
; RFLAGS status flags (SDM Vol. 1 3.4.3.1)
%define CF 0x001
%define PF 0x004
%define AF 0x010
%define ZF 0x040
%define SF 0x080
%define OF 0x800

; FLAGS_ARE bits, "message" -- the status flags are exactly these.
%macro FLAGS_ARE 2
	pushfd
	pop ebx
	and ebx, CF | PF | AF | ZF | SF | OF
	cmp ebx, %1
	CHECK e, %2
%endmacro

	mov esp, 0x7000
	mov eax, 1
	add eax, [HOLE]                 ; 1 + FFFFFFFFh
	FLAGS_ARE CF | PF | AF | ZF, "ADD r32,[hole]: flags"
	test eax, eax
	CHECK z, "ADD r32,[hole]: EAX is not 0"

	cmp dword [HOLE], 5             ; FFFFFFFFh - 5 = FFFFFFFAh
	FLAGS_ARE SF | PF, "CMP [hole],5: flags"

	stc
	mov edx, 0
	adc edx, [PAST_RAM]             ; 0 + FFFFFFFFh + 1
	FLAGS_ARE CF | PF | AF | ZF, "ADC r32,[past RAM]: flags"
	test edx, edx
	CHECK z, "ADC r32,[past RAM]: EDX is not 0"

	mov eax, 0x1200
	sub ah, [HOLE]                  ; 12h - FFh = 13h, borrow
	FLAGS_ARE CF | AF, "SUB AH,[hole]: flags"
	cmp eax, 0x1300
	CHECK e, "SUB AH,[hole]: EAX is not 1300h"

	or byte [HOLE + 1], 1           ; FFh | 1 = FFh, dropped
	FLAGS_ARE SF | PF, "OR byte [hole],1: flags"
	stc
	inc dword [HOLE]                ; FFFFFFFFh + 1 = 0, CF kept
	FLAGS_ARE CF | PF | AF | ZF, "INC [hole]: flags"
	clc
	lock dec word [HOLE + 2]        ; FFFFh - 1 = FFFEh
	FLAGS_ARE SF, "LOCK DEC word [hole]: flags"
	neg word [HOLE]                 ; 0 - FFFFh = 1
	FLAGS_ARE CF | AF, "NEG word [hole]: flags"
	push 2 | CF | AF | SF
	popfd
	not dword [HOLE]                ; no flags change
	FLAGS_ARE CF | AF | SF, "NOT [hole] changed the flags"

	mov eax, 0x80000000
	test [HOLE], eax
	FLAGS_ARE SF | PF, "TEST [hole],EAX: flags"
	and dword [HOLE], 0
	FLAGS_ARE PF | ZF, "AND [hole],0: flags"

	mov ecx, 0x1234
	xchg [HOLE], ecx
	cmp ecx, 0xffffffff
	CHECK e, "XCHG [hole],ECX: ECX is not all-ones"
	mov eax, 2
	lock xadd [HOLE], eax           ; FFFFFFFFh + 2 = 1
	FLAGS_ARE CF | AF, "XADD [hole],EAX: flags"
	cmp eax, 0xffffffff
	CHECK e, "XADD [hole],EAX: EAX is not all-ones"
	mov eax, 5
	mov ecx, 7
	lock cmpxchg [HOLE], ecx        ; 5 <> FFFFFFFFh: EAX gets it
	FLAGS_ARE CF | PF | AF, "CMPXCHG [hole],ECX: flags"
	cmp eax, 0xffffffff
	CHECK e, "CMPXCHG [hole],ECX: EAX is not all-ones"

	mov eax, 0x12345678
	movsx ax, byte [HOLE]
	cmp eax, 0x1234ffff
	CHECK e, "MOVSX AX,byte [hole] is not 1234FFFFh in EAX"
	movsx edx, word [HOLE]
	cmp edx, 0xffffffff
	CHECK e, "MOVSX EDX,word [hole] is not all-ones"

	clc
	bt dword [HOLE], 3
	CHECK c, "BT [hole],3: CF is clear"
	clc
	mov ecx, 100                    ; bit 4 of the dword at HOLE + 12
	lock bts [HOLE], ecx
	CHECK c, "BTS [hole],ECX=100: CF is clear"
	clc
	mov ecx, -1                     ; bit 31 of the dword at HOLE - 4
	btr [HOLE + 8], ecx
	CHECK c, "BTR [hole+8],ECX=-1: CF is clear"

	mov eax, [HOLE]
	cmp eax, 0xffffffff
	CHECK e, "a read-modify-write of the hole stuck"
	PRINT {"PASS hole_alu", 10}
	EXIT 0
%include "lib_code.inc"
