; fw_cfg DMA (ports 0x514/0x518, QEMU's FWCfgDmaAccess: be32 control,
; be32 length, be64 address; docs/specs/fw_cfg.rst) driven with bad
; descriptors.  Expected answer (what QEMU's fw_cfg_dma_transfer() does):
;  - descriptor outside RAM (above RAM, VGA hole, above 4 GiB, wrapping
;    2^64): nothing is read or written, there is nowhere to report to;
;  - descriptor half outside RAM: control = ERROR (the part in RAM gets it);
;  - target outside RAM, or wrapping 2^64: control = ERROR, nothing written;
;  - target overlapping the descriptor: the descriptor is read first, then
;    the data lands over it, then control = 0 is written;
;  - length 0xFFFFFFFF from 256 bytes below the end of RAM: the item and
;    zeros fill RAM to its end, control = ERROR, above RAM stays empty;
;  - unaligned descriptor: works (control = 0);
;  - WRITE with data: ERROR (no item is writable);
; and afterwards a good transfer still works.
; test-cmdline: guest.mode=prot mem=64M
; test-module: guest
; test-expect: PASS fwcfg_dma
; test-status: 0
%include "lib.inc"
RAM_END  equ 0x4000000
CTL_ERROR  equ 0x01
CTL_READ   equ 0x02
CTL_SKIP   equ 0x04
CTL_SELECT equ 0x08
CTL_WRITE  equ 0x10
KEY_SIG    equ 0x0000                  ; "QEMU"
KEY_ID     equ 0x0001                  ; feature bits: bit 1 = DMA
%define BE32(x) ((((x) >> 24) & 0xff) | (((x) >> 8) & 0xff00) | (((x) << 8) & 0xff0000) | (((x) << 24) & 0xff000000))
; DESC addr, control, length, target_hi, target_lo: build a descriptor
%macro DESC 5
	mov dword [%1], BE32(%2)
	mov dword [%1 + 4], BE32(%3)
	mov dword [%1 + 8], BE32(%4)
	mov dword [%1 + 12], BE32(%5)
%endmacro
org 0x7c00
bits 32
	mov esp, 0x7000
	cld
	; the DMA interface is there: signature "QEMU CFG" at 0x514
	mov dx, 0x514
	in eax, dx
	cmp eax, 'QEMU'
	CHECK e, "no fw_cfg DMA signature at 0x514"

	; a good transfer first: 4 bytes of the signature to 0x5000
	DESC 0x3000, (KEY_SIG << 16) | CTL_SELECT | CTL_READ, 4, 0, 0x5000
	mov ebx, 0
	mov eax, 0x3000
	call dma
	cmp dword [0x3000], 0
	CHECK e, "a good DMA transfer did not report 0"
	cmp dword [0x5000], 'QEMU'
	CHECK e, "a good DMA transfer did not bring the signature"

	; descriptors outside RAM: above RAM, the VGA window, above 4 GiB,
	; and one whose 16 bytes wrap around 2^64
	mov ebx, 0
	mov eax, RAM_END + 0x1000
	call dma
	mov eax, 0xa0000
	call dma
	mov ebx, 1
	mov eax, 0x3000                     ; 1_0000_3000h: not the RAM at 3000h
	call dma
	cmp dword [0x3000], 0
	CHECK e, "a descriptor above 4 GiB aliased low RAM"
	mov ebx, 0xffffffff
	mov eax, 0xfffffff8
	call dma
	mov eax, [RAM_END + 0x1000]                ; (a MOV: lamina emulates loads from holes)
	cmp eax, 0xffffffff
	CHECK e, "memory above RAM changed"

	; descriptor straddling the end of RAM: its first 8 bytes get ERROR
	DESC RAM_END - 8, (KEY_SIG << 16) | CTL_SELECT | CTL_READ, 4, 0, 0x5000
	mov dword [0x5000], 0
	xor ebx, ebx
	mov eax, RAM_END - 8
	call dma
	cmp dword [RAM_END - 8], BE32(CTL_ERROR)
	CHECK e, "a descriptor half outside RAM did not get ERROR"
	cmp dword [0x5000], 0
	CHECK e, "a descriptor half outside RAM was carried out"

	; target outside RAM (the IOAPIC window), and wrapping 2^64
	DESC 0x3000, (KEY_SIG << 16) | CTL_SELECT | CTL_READ, 4, 0, 0xfec00000
	xor ebx, ebx
	mov eax, 0x3000
	call dma
	cmp dword [0x3000], BE32(CTL_ERROR)
	CHECK e, "a target outside RAM did not give ERROR"
	mov eax, [0xfec00000]                ; (a MOV: lamina emulates loads from holes)
	cmp eax, 0xffffffff
	CHECK e, "DMA wrote into the IOAPIC window"
	DESC 0x3000, (KEY_SIG << 16) | CTL_SELECT | CTL_READ, 0x100, 0xffffffff, 0xfffffff0
	mov eax, 0x3000
	call dma
	cmp dword [0x3000], BE32(CTL_ERROR)
	CHECK e, "a target wrapping 2^64 did not give ERROR"

	; target overlapping the descriptor: data lands at +4, then control = 0
	DESC 0x3000, (KEY_SIG << 16) | CTL_SELECT | CTL_READ, 16, 0, 0x3004
	mov eax, 0x3000
	call dma
	cmp dword [0x3000], 0
	CHECK e, "an overlapping target: control is not 0"
	cmp dword [0x3004], 'QEMU'
	CHECK e, "an overlapping target did not get the data"
	cmp dword [0x3010], 0
	CHECK e, "an overlapping target: no zero fill past the item"

	; length 0xFFFFFFFF, 256 bytes below the end of RAM
	DESC 0x3000, (KEY_SIG << 16) | CTL_SELECT | CTL_READ, 0xffffffff, 0, RAM_END - 0x100
	mov dword [RAM_END - 4], 0x12345678
	mov eax, 0x3000
	call dma
	cmp dword [0x3000], BE32(CTL_ERROR)
	CHECK e, "a 4 GiB transfer did not give ERROR"
	cmp dword [RAM_END - 0x100], 'QEMU'
	CHECK e, "a 4 GiB transfer did not start with the item"
	cmp dword [RAM_END - 4], 0
	CHECK e, "a 4 GiB transfer did not zero-fill to the end of RAM"
	mov eax, [RAM_END]                ; (a MOV: lamina emulates loads from holes)
	cmp eax, 0xffffffff
	CHECK e, "a 4 GiB transfer wrote above RAM"

	; unaligned descriptor: fine
	DESC 0x3101, (KEY_ID << 16) | CTL_SELECT | CTL_READ, 4, 0, 0x5000
	mov eax, 0x3101
	call dma
	cmp dword [0x3101], 0
	CHECK e, "an unaligned descriptor did not work"
	test dword [0x5000], 2
	CHECK nz, "the feature bits read through an unaligned descriptor lack DMA"

	; WRITE of 4 bytes: no item takes data
	DESC 0x3000, (KEY_SIG << 16) | CTL_SELECT | CTL_WRITE, 4, 0, 0x5000
	mov eax, 0x3000
	call dma
	cmp dword [0x3000], BE32(CTL_ERROR)
	CHECK e, "a DMA WRITE did not give ERROR"

	; still working
	DESC 0x3000, (KEY_SIG << 16) | CTL_SELECT | CTL_READ, 4, 0, 0x6000
	mov eax, 0x3000
	call dma
	cmp dword [0x3000], 0
	CHECK e, "DMA no longer works after the bad transfers"
	cmp dword [0x6000], 'QEMU'
	CHECK e, "DMA no longer brings data after the bad transfers"
	PRINT {"PASS fwcfg_dma", 10}
	EXIT 0

; Start a transfer: EBX = high half, EAX = low half of the descriptor's
; address; each 32-bit half is written big-endian.
dma:
	push eax
	push edx
	push eax
	mov eax, ebx
	bswap eax
	mov dx, 0x514
	out dx, eax
	pop eax
	bswap eax
	mov dx, 0x518
	out dx, eax
	pop edx
	pop eax
	ret
%include "lib_code.inc"
