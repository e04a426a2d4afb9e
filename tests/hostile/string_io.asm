; String I/O aimed at the edges of the address space.  lamina carries out
; every INS/OUTS itself (core/exit_io.c), so each edge is its to get right;
; the expected answers are what a CPU does (SDM Vol. 2 "INS", "OUTS",
; "REP"; Vol. 3A 4.7 page-fault error codes; Vol. 1 3.6 address size):
;  1. REP INSW of an IDE IDENTIFY block into a buffer whose 51st word
;     straddles into a not-present page: #PF (error 2: write, not present),
;     CR2 = the first byte of that page, ECX = 206 and EDI = the straddling
;     word, the byte before the page untouched and the drive's data not
;     consumed; the handler maps the page and the restarted instruction
;     finishes with exactly the 256 words a clean read gives (DRQ then off).
;  2. REP INSB into a read-only page with CR0.WP=1: #PF error 3 (present,
;     write); made writable, the instruction finishes.
;  3. REP OUTSB reading into a not-present page: the two bytes before it go
;     out, then #PF error 0 with ECX = 2, ESI = CR2 = the page.
;  4. INS/OUTS to a linear page whose frame is not RAM (above the 64 MiB):
;     no fault; writes vanish, reads are all-ones (an empty bus); an
;     element straddling RAM and the hole writes its RAM half.
;  5. 32-bit address-size wrap: REP INSB from EDI = FFFFFFFEh writes the
;     top two bytes of the linear space and the bottom two (EDI ends at 2);
;     a backwards REP OUTSB from ESI = 1 prints them in reverse ("wrap").
;  6. 16-bit address size (67h): only CX and DI count and step; DI wraps
;     at 64 KiB and the upper halves of ECX and EDI stay as they were.
;  7. ECX = FFFFFFFFh, DF = 1: REP INSB runs backwards through 128 KiB (two
;     of lamina's 65536-element batches, then a restart) into a not-present
;     page: #PF with ECX = FFFFFFFFh - 20000h, EDI = CR2 = the page's top byte.
;  8. ECX = 0: nothing happens, not even the fault the address would give.
; test-cmdline: guest.mode=prot mem=64M
; test-module: guest
; test-module: {BUILD}/disks/freedos-hd.img:ide0
; test-expect: (?m)^wrap around 4 GiB
; test-expect: PASS string_io
; test-status: 0
%include "lib.inc"
PD       equ 0x10000                ; page directory (32-bit paging, 4 KiB pages)
PT0      equ 0x11000                ; linear 0-4 MiB, identity
PT_TOP   equ 0x12000                ; linear FFC00000h-FFFFFFFFh
TOPPAGE  equ 0x13000                ; the frame behind linear FFFFF000h
IDT      equ 0x14000
IDBUF    equ 0x20000                ; a clean IDENTIFY block
NP1      equ 0x300000               ; not present (test 1)
RO       equ 0x301000               ; read-only (test 2)
NP2      equ 0x304000               ; not present (test 3)
RAM_B4_HOLE equ 0x305000            ; RAM just below the hole page (test 4)
HOLE_LIN equ 0x306000               ; -> frame E0000000h, no RAM there (test 4)
HOLE_PHYS equ 0xe0000000
NP3      equ 0x307000               ; not present, below 128 KiB of RAM (test 7)
RUN3     equ 0x308000
RUN3_LEN equ 0x20000
PTE      equ 0x3                    ; present, writable
TESTDEV  equ 0xe0                   ; lamina's scratch port: IN returns what OUT stored
ATA_DATA equ 0x1f0
ATA_DEV  equ 0x1f6
ATA_CMD  equ 0x1f7                  ; status when read
ATA_IDENTIFY equ 0xec
ACT_MAP  equ 1                      ; #PF handler: map the page writable, retry
ACT_SKIP equ 2                      ; #PF handler: resume at [pf_resume]
%define PTE_OF(lin) (PT0 + ((lin) >> 12) * 4)

org 0x7c00
bits 32
	mov esp, 0x7000
	cld
	call setup_idt
	; identity map 0-4 MiB, then punch the test pages
	mov edi, PT0
	mov eax, PTE
	mov ecx, 1024
.fill:	stosd
	add eax, 0x1000
	loop .fill
	mov dword [PTE_OF(NP1)], 0
	mov dword [PTE_OF(NP2)], 0
	mov dword [PTE_OF(NP3)], 0
	mov dword [PTE_OF(RO)], RO | 1
	mov dword [PTE_OF(HOLE_LIN)], HOLE_PHYS | PTE
	mov dword [PT_TOP + 1023 * 4], TOPPAGE | PTE
	mov dword [PD], PT0 | PTE
	mov dword [PD + 1023 * 4], PT_TOP | PTE
	; fill what tests 1 and 4 look at before paging hides it
	mov edi, NP1 - 0x1000
	mov ecx, 0x2000
	mov al, 0xcc
	rep stosb
	mov eax, PD
	mov cr3, eax
	mov eax, cr0
	or eax, 0x80010000              ; CR0.PG | CR0.WP
	mov cr0, eax

	; ---- 1: IDE data into a buffer straddling a not-present page
	mov edi, IDBUF
	call identify
	cmp ecx, 0
	CHECK e, "clean IDENTIFY: ECX not 0"
	mov dword [pf_action], ACT_MAP
	mov edi, NP1 - 101
	call identify
	cmp dword [pf_count], 1
	CHECK e, "test 1: expected exactly one #PF"
	cmp dword [pf_err], 2
	CHECK e, "test 1: #PF error code is not 2 (write, not present)"
	cmp dword [pf_cr2], NP1
	CHECK e, "test 1: CR2 is not the first byte of the not-present page"
	cmp dword [pf_ecx], 206
	CHECK e, "test 1: ECX at the fault is not 206"
	cmp dword [pf_edi], NP1 - 1
	CHECK e, "test 1: EDI at the fault is not the straddling word"
	cmp byte [pf_byte], 0xcc
	CHECK e, "test 1: the straddling word's first byte was written before the fault"
	cmp ecx, 0
	CHECK e, "test 1: ECX not 0 after the restart"
	cmp edi, NP1 - 101 + 512
	CHECK e, "test 1: EDI wrong after the restart"
	mov esi, IDBUF
	mov edi, NP1 - 101
	mov ecx, 512
	repe cmpsb
	CHECK e, "test 1: the data differs from a clean IDENTIFY (a word lost to the fault?)"
	mov dx, ATA_CMD
	in al, dx
	test al, 0x08
	CHECK z, "test 1: the drive still has data (DRQ): the restart read too little"
	PRINT {"1: INSW straddling a not-present page: #PF, restart, no word lost", 10}

	; ---- 2: INSB into a read-only page (CR0.WP)
	mov al, 0x5a
	out TESTDEV, al
	call pf_reset
	mov dword [pf_action], ACT_MAP
	mov edi, RO
	mov ecx, 4
	mov dx, TESTDEV
	rep insb
	cmp dword [pf_count], 1
	CHECK e, "test 2: expected one #PF"
	cmp dword [pf_err], 3
	CHECK e, "test 2: #PF error code is not 3 (write, present)"
	cmp dword [pf_cr2], RO
	CHECK e, "test 2: CR2 wrong"
	cmp dword [RO], 0x5a5a5a5a
	CHECK e, "test 2: the data did not arrive after the page became writable"
	PRINT {"2: INSB into a read-only page: #PF error 3", 10}

	; ---- 3: OUTSB reading into a not-present page
	mov al, 0
	out TESTDEV, al
	mov word [NP2 - 2], 0x2211
	call pf_reset
	mov dword [pf_action], ACT_SKIP
	mov dword [pf_resume], .t3
	mov esi, NP2 - 2
	mov ecx, 4
	mov dx, TESTDEV
	rep outsb
.t3:	cmp dword [pf_count], 1
	CHECK e, "test 3: expected one #PF"
	cmp dword [pf_err], 0
	CHECK e, "test 3: #PF error code is not 0 (read, not present)"
	cmp dword [pf_cr2], NP2
	CHECK e, "test 3: CR2 wrong"
	cmp dword [pf_ecx], 2
	CHECK e, "test 3: ECX at the fault is not 2"
	cmp dword [pf_esi], NP2
	CHECK e, "test 3: ESI at the fault is not the page"
	in al, TESTDEV
	cmp al, 0x22
	CHECK e, "test 3: the bytes before the page did not go out"
	PRINT {"3: OUTSB from a not-present page: two bytes out, #PF error 0", 10}

	; ---- 4: a linear page whose frame is not RAM
	call pf_reset
	mov eax, 0x44332211
	out TESTDEV, eax
	mov edi, HOLE_LIN - 2           ; first dword: two bytes RAM, two in the hole
	mov ecx, 1024
	mov dx, TESTDEV
	rep insd
	cmp ecx, 0
	CHECK e, "test 4: REP INSD into the hole did not finish"
	cmp edi, HOLE_LIN - 2 + 4096
	CHECK e, "test 4: EDI wrong"
	cmp word [HOLE_LIN - 2], 0x2211
	CHECK e, "test 4: the RAM half of the straddling dword is wrong"
	mov esi, HOLE_LIN + 0x800
	mov ecx, 3
	mov dx, TESTDEV
	rep outsb
	in eax, TESTDEV
	cmp eax, 0x443322ff
	CHECK e, "test 4: OUTSB from the hole did not send all-ones"
	mov esi, HOLE_LIN + 0xfff       ; a word half in the hole, half not present:
	mov dword [pf_action], ACT_SKIP ; the hole half is fine, the next page
	mov ecx, 1                      ; (NP3) faults
	mov dword [pf_resume], .t4
	rep outsw
.t4:	cmp dword [pf_cr2], NP3
	CHECK e, "test 4: a word straddling the hole and a not-present page did not fault there"
	cmp dword [pf_count], 1
	CHECK e, "test 4: expected exactly one #PF"
	PRINT {"4: INSD/OUTSB on a frame with no RAM: writes vanish, reads all-ones", 10}

	; ---- 5: the 32-bit linear address space wraps
	mov al, 0x77
	out TESTDEV, al
	mov word [0], 0
	mov edi, 0xfffffffe
	mov ecx, 4
	mov dx, TESTDEV
	rep insb
	cmp edi, 2
	CHECK e, "test 5: EDI did not wrap to 2"
	cmp word [TOPPAGE + 0xffe], 0x7777
	CHECK e, "test 5: the top of the linear space did not get the bytes"
	cmp word [0], 0x7777
	CHECK e, "test 5: the bottom of the linear space did not get the bytes"
	mov word [0xfffffffe], 'pa'     ; "wrap" backwards from linear 1
	mov word [0], 'rw'
	std
	mov esi, 1
	mov ecx, 4
	mov dx, DEBUGCON
	rep outsb
	cld
	cmp esi, 0xfffffffd
	CHECK e, "test 5: ESI did not wrap to FFFFFFFDh"
	PRINT {" around 4 GiB", 10}

	; ---- 6: 16-bit address size: DI wraps at 64 KiB, upper halves kept
	mov al, 0x66
	out TESTDEV, al
	mov edi, 0xabcdfffe
	mov ecx, 0x12340003
	mov dx, TESTDEV
	a16 rep insb
	cmp edi, 0xabcd0001
	CHECK e, "test 6: EDI is not ABCD0001h (DI wrap, upper half kept)"
	cmp ecx, 0x12340000
	CHECK e, "test 6: ECX is not 12340000h (CX counted, upper half kept)"
	cmp word [0xfffe], 0x6666
	CHECK e, "test 6: the bytes below 64 KiB are missing"
	cmp byte [0], 0x66
	CHECK e, "test 6: DI did not wrap to 0"
	PRINT {"6: a16 REP INSB: DI wraps, ECX/EDI upper halves kept", 10}

	; ---- 7: ECX = FFFFFFFFh backwards into a not-present page
	call pf_reset
	mov dword [pf_action], ACT_SKIP
	mov edi, RUN3 + RUN3_LEN - 1
	mov ecx, 0xffffffff
	mov dx, TESTDEV
	mov dword [pf_resume], .t7
	std
	rep insb
.t7:	cld
	cmp dword [pf_count], 1
	CHECK e, "test 7: expected one #PF"
	cmp dword [pf_cr2], NP3 + 0xfff
	CHECK e, "test 7: CR2 is not the top byte of the not-present page"
	cmp dword [pf_edi], NP3 + 0xfff
	CHECK e, "test 7: EDI at the fault is wrong"
	cmp dword [pf_ecx], 0xffffffff - RUN3_LEN
	CHECK e, "test 7: ECX at the fault is not FFFFFFFFh - 20000h"
	cmp dword [pf_err], 2
	CHECK e, "test 7: #PF error code is not 2"
	cmp byte [RUN3], 0x66
	CHECK e, "test 7: the bottom of the run was not written"
	PRINT {"7: ECX=FFFFFFFFh DF=1: 128 KiB, then #PF at the page below", 10}

	; ---- 8: a zero count touches nothing
	call pf_reset
	mov edi, NP2
	xor ecx, ecx
	mov dx, TESTDEV
	rep insb
	cmp dword [pf_count], 0
	CHECK e, "test 8: REP INSB with ECX=0 faulted"
	cmp edi, NP2
	CHECK e, "test 8: REP INSB with ECX=0 moved EDI"
	PRINT {"PASS string_io", 10}
	EXIT 0

; IDENTIFY DEVICE (ATA-6 8.15) on the primary master, then its 256 words
; with one REP INSW to EDI.
identify:
	mov dx, ATA_DEV
	mov al, 0xa0
	out dx, al
	mov dx, ATA_CMD
.busy:	in al, dx
	test al, 0x80
	jnz .busy
	mov al, ATA_IDENTIFY
	out dx, al
.drq:	in al, dx
	test al, 0x80
	jnz .drq
	test al, 0x08
	CHECK nz, "IDENTIFY: no data (DRQ)"
	mov ecx, 256
	mov dx, ATA_DATA
	rep insw
	ret

pf_reset:
	mov dword [pf_count], 0
	mov dword [pf_action], 0
	ret

; Interrupt gates (SDM Vol. 3A 6.11) for #GP and #PF in a fresh IDT.
setup_idt:
	mov ax, cs
	shl eax, 16
	mov ebx, pf_handler
	mov ax, bx
	mov [IDT + 14 * 8], eax
	and ebx, 0xffff0000
	or ebx, 0x8e00                  ; present, DPL 0, 32-bit interrupt gate
	mov [IDT + 14 * 8 + 4], ebx
	mov ebx, gp_handler
	mov ax, bx
	mov [IDT + 13 * 8], eax
	and ebx, 0xffff0000
	or ebx, 0x8e00
	mov [IDT + 13 * 8 + 4], ebx
	lidt [idt_ptr]
	ret

; #PF: note the error code, CR2 and the string registers as the fault left
; them, then map the page or step over the instruction.
pf_handler:
	push eax
	inc dword [pf_count]
	mov eax, [esp + 4]
	mov [pf_err], eax
	mov eax, cr2
	mov [pf_cr2], eax
	mov [pf_ecx], ecx
	mov [pf_edi], edi
	mov [pf_esi], esi
	mov al, [NP1 - 1]
	mov [pf_byte], al
	cmp dword [pf_count], 3
	CHECK b, "#PF keeps coming back"
	cmp dword [pf_action], ACT_MAP
	jne .skip
	push ebx
	mov ebx, cr2
	mov eax, ebx
	and eax, 0xfffff000
	or eax, PTE
	shr ebx, 12                     ; all test pages lie in PT0's 4 MiB
	mov [PT0 + ebx * 4], eax
	mov ebx, cr2
	invlpg [ebx]
	pop ebx
	jmp .done
.skip:	cmp dword [pf_action], ACT_SKIP
	CHECK e, "unexpected #PF"
	mov eax, [pf_resume]
	mov [esp + 8], eax
.done:	pop eax
	add esp, 4
	iretd

gp_handler:
	PRINT {"FAIL unexpected #GP", 10}
	EXIT 1

align 4
pf_count:  dd 0
pf_action: dd 0
pf_resume: dd 0
pf_err:    dd 0
pf_cr2:    dd 0
pf_ecx:    dd 0
pf_edi:    dd 0
pf_esi:    dd 0
pf_byte:   db 0
idt_ptr:   dw 32 * 8 - 1
	dd IDT
%include "lib_code.inc"
