; String I/O under paging: REP OUTSB and REP INSW whose buffers cross
; from one linear page into another that maps to a distant physical page
; (lamina must walk the guest's page tables element by element), a
; backwards REP OUTSB (DF=1), and OUTSB with a segment override.
; Starts in 32-bit protected mode (guest.mode=prot).
; test-cmdline: guest.mode=prot
; test-module: guest
; test-expect: hello from rep outsb across pages
; test-expect: out in reverse
; test-expect: PASS strio
; test-status: 0
%include "lib.inc"
PD       equ 0x10000                 ; page directory (32-bit paging)
PT       equ 0x11000                 ; page table for linear 0-4 MiB
PAGE_A   equ 0x200000                ; physical page behind linear 0x300000
PAGE_B   equ 0x250000                ; physical page behind linear 0x301000
PAGE_C   equ 0x260000                ; physical page behind linear 0x302000
LIN_A    equ 0x300000
PTE      equ 0x3                     ; present, writable

org 0x7c00
bits 32
	mov esp, 0x7000
	; identity-map 0-4 MiB, then move linear 0x300000-0x302fff elsewhere
	mov edi, PT
	mov eax, PTE
	mov ecx, 1024
.fill:	stosd
	add eax, 0x1000
	loop .fill
	mov dword [PT + (LIN_A >> 12) * 4], PAGE_A | PTE
	mov dword [PT + ((LIN_A >> 12) + 1) * 4], PAGE_B | PTE
	mov dword [PT + ((LIN_A >> 12) + 2) * 4], PAGE_C | PTE
	mov dword [PD], PT | PTE
	; the message: 16 bytes at the end of page A, the rest at page B
	mov esi, msg
	mov edi, PAGE_A + 0xff0
	mov ecx, 16
	rep movsb
	mov edi, PAGE_B
	mov ecx, msg_len - 16
	rep movsb
	mov eax, PD
	mov cr3, eax
	mov eax, cr0
	or eax, 0x80000000              ; CR0.PG
	mov cr0, eax

	mov esi, LIN_A + 0xff0
	mov ecx, msg_len
	mov dx, DEBUGCON
	rep outsb
	cmp ecx, 0
	CHECK e, "REP OUTSB left ECX non-zero"
	cmp esi, LIN_A + 0xff0 + msg_len
	CHECK e, "REP OUTSB left ESI at the wrong place"

	; 10 words from the test device into a buffer crossing into page C
	mov eax, 0xbeef
	out 0xe0, eax
	mov edi, LIN_A + 0x1ffa
	mov ecx, 10
	mov dx, 0xe0
	rep insw
	cmp edi, LIN_A + 0x1ffa + 20
	CHECK e, "REP INSW left EDI at the wrong place"
	mov esi, LIN_A + 0x1ffa
	mov ecx, 10
.check:	lodsw
	cmp ax, 0xbeef
	CHECK e, "REP INSW did not store 0xbeef in every word"
	loop .check
	cmp word [PAGE_C + 0xc], 0xbeef    ; the last word, seen through the identity map
	CHECK e, "REP INSW wrote the wrong physical page"

	; backwards
	std
	mov esi, rev_end - 1
	mov ecx, rev_end - rev
	mov dx, DEBUGCON
	rep outsb
	cld
	; FS override: FS = DS here, so the same bytes come out
	mov esi, newline
	mov dx, DEBUGCON
	fs outsb

	PRINT {"PASS strio", 10}
	EXIT 0

msg:	db "hello from rep outsb across pages", 10
msg_len equ $ - msg
rev:	db "esrever ni tuo"
rev_end:
newline: db 10
%include "lib_code.inc"
