; lamina's first instructions: GRUB enters here in 32-bit protected mode
; with paging off (Multiboot2 spec 3.3, "I386 machine state"):
;   EAX = 0x36d76289, EBX = physical address of the boot information.
; A Multiboot 1 loader (iPXE, QEMU -kernel, GRUB's `multiboot`) enters the
; same way with EAX = 0x2badb002 (Multiboot spec 0.6.96, 3.2); main() tells
; the two apart by the magic.
; We check for long mode, identity-map the first 4 GiB with 2 MiB pages,
; enable PAE + EFER.LME + CR0.PG (SDM Vol. 3A 10.8.5, "Initializing IA-32e
; Mode"), load a 64-bit GDT and jump to C.

MB2_HEADER_MAGIC equ 0xE85250D6
MB2_ARCH_I386    equ 0
MB2_HEADER_LEN   equ mb2_header_end - mb2_header

COM1             equ 0x3F8
CR0_PG           equ 1 << 31
CR0_WP           equ 1 << 16
CR4_PAE          equ 1 << 5
MSR_EFER         equ 0xC0000080
EFER_LME         equ 1 << 8
PTE_P_RW         equ 0x3            ; present, writable
PDE_2M           equ 0x83           ; present, writable, page size (2 MiB)

section .multiboot
align 8
mb2_header:                          ; Multiboot2 spec 3.1.1
	dd MB2_HEADER_MAGIC
	dd MB2_ARCH_I386
	dd MB2_HEADER_LEN
	dd 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + MB2_HEADER_LEN)
	dw 0, 0                          ; end tag: type 0, flags 0
	dd 8                             ;          size 8
mb2_header_end:

; Multiboot 1 header (spec 0.6.96, 3.1): within the first 8 KiB of the
; file, 4-byte aligned.  lamina is an ELF64 file, which Multiboot 1 loaders
; do not load (iPXE and QEMU want ELF32), so flag 16 gives the addresses
; instead (3.1.3, the "a.out kludge"): the file from header_addr -
; load_addr bytes before this header is loaded at load_addr up to
; load_end_addr, zeroes follow up to bss_end_addr, and execution starts at
; entry_addr.  linker.ld keeps the loaded part one contiguous run of the
; file.  Flags 0 and 1: page-aligned modules, memory information.
MB1_HEADER_MAGIC equ 0x1BADB002
MB1_FLAGS        equ (1 << 0) | (1 << 1) | (1 << 16)
extern __image_start, __load_end, __image_end
align 4
mb1_header:
	dd MB1_HEADER_MAGIC
	dd MB1_FLAGS
	dd 0x100000000 - (MB1_HEADER_MAGIC + MB1_FLAGS)
	dd mb1_header                    ; header_addr
	dd __image_start                 ; load_addr
	dd __load_end                    ; load_end_addr
	dd __image_end                   ; bss_end_addr
	dd _start                        ; entry_addr

section .text.boot
bits 32
global _start
_start:
	cli
	cld
	mov esp, boot_stack_top
	mov [boot_mb_magic], eax
	mov [boot_mb_info], ebx

	; Long mode needs CPUID leaf 0x80000001 EDX bit 29 (LM).
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no_long_mode

	; PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 512 x 2 MiB.
	mov eax, boot_pdpt
	or eax, PTE_P_RW
	mov [boot_pml4], eax
	mov ecx, 0
.fill_pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, boot_pd
	or eax, PTE_P_RW
	mov [boot_pdpt + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .fill_pdpt

	mov ecx, 0                       ; entry index 0..2047 over the 4 PDs
.fill_pd:
	mov eax, ecx
	shr eax, 11                      ; high dword of the 2 MiB frame address
	mov [boot_pd + ecx * 8 + 4], eax
	mov eax, ecx
	shl eax, 21
	or eax, PDE_2M
	mov [boot_pd + ecx * 8], eax
	inc ecx
	cmp ecx, 2048
	jb .fill_pd

	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, boot_pml4
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax                     ; now in IA-32e compatibility mode

	lgdt [boot_gdt_ptr]
	jmp 0x08:long_mode_entry

.no_long_mode:
	mov esi, msg_no_long_mode
.print:
	lodsb
	test al, al
	jz .halt
	mov ah, al
	mov dx, COM1 + 5
.wait_thr:
	in al, dx
	test al, 0x20                    ; LSR.THRE: transmit holding register empty
	jz .wait_thr
	mov dx, COM1
	mov al, ah
	out dx, al
	jmp .print
.halt:
	hlt
	jmp .halt

bits 64
long_mode_entry:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rsp, boot_stack_top
	mov edi, [boot_mb_magic]
	mov esi, [boot_mb_info]
	extern main
	call main
.hang:
	cli
	hlt
	jmp .hang

section .rodata
msg_no_long_mode:
	db "lamina: this CPU has no long mode (CPUID 80000001h EDX.LM=0); halted.", 13, 10, 0

align 8
boot_gdt:                            ; SDM Vol. 3A 3.4.5: code/data descriptors
	dq 0                             ; null
	dq 0x00AF9A000000FFFF            ; 0x08: 64-bit code, DPL0 (L=1)
	dq 0x00CF92000000FFFF            ; 0x10: data, DPL0
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dq boot_gdt

section .data
global boot_mb_magic, boot_mb_info
boot_mb_magic: dd 0
boot_mb_info:  dd 0

section .bss
align 4096
global boot_pml4, boot_pdpt, boot_pd, boot_stack
boot_pml4: resb 4096
boot_pdpt: resb 4096
boot_pd:   resb 4 * 4096
boot_stack: resb 65536
boot_stack_top:
