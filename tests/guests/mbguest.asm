; A Multiboot v1 kernel (Multiboot Specification 0.6.96): a flat binary
; whose header carries the a.out-kludge addresses (3.1.3), so lamina loads
; it at 1 MiB with a zeroed bss and enters it as 3.2 "Machine state" says.
; It checks that state and the multiboot_info (3.3), prints the command
; line, memory fields, memory map and its module's first line, and exits.
; test-cmdline: boot=multiboot mem=64M
; test-module: kernel mbtest=1 hello
; test-module: tests/guests/mbguest.asm:mbmod first-line-of-source
; test-expect: mb: command line 'kernel mbtest=1 hello'
; test-expect: mb: mem_lower 0000027f mem_upper 0000fc00
; test-expect: mb: mmap 00000000 0009fc00 00000001\s+mb: mmap 0009fc00 00000400 00000002\s+mb: mmap 000f0000 00010000 00000002\s+mb: mmap 00100000 03f00000 00000001
; test-expect: mb: module 'mbmod first-line-of-source': ; A Multiboot v1 kernel
; test-expect: mb: loader lamina
; test-expect: PASS mbguest
; test-status: 0
%include "lib.inc"
MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00010003       ; page-aligned modules, memory info, a.out kludge
MB_BOOT_MAGIC equ 0x2BADB002
INFO_WANTED equ 0x24d         ; mem, cmdline, mods, mmap, boot loader name

bits 32
org 0x100000
header:
	dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	dd header, header, load_end, bss_end, start

start:
	mov esp, stack_top
	cmp eax, MB_BOOT_MAGIC
	CHECK e, "EAX holds 0x2BADB002"
	mov ebp, ebx
	pushfd
	pop eax
	test eax, 0x20200             ; IF, VM
	CHECK z, "interrupts off, not virtual-8086"
	mov eax, cr0
	and eax, 0x80000001
	cmp eax, 1
	CHECK e, "protected mode, paging off"
	cmp dword [bss_word], 0
	CHECK e, "the bss is zeroed"
	mov eax, [ebp]
	and eax, INFO_WANTED
	cmp eax, INFO_WANTED
	CHECK e, "multiboot_info flags"

	PRINT "mb: command line '"
	mov esi, [ebp + 16]
	call print32
	PRINT {"'", 10, "mb: mem_lower "}
	mov eax, [ebp + 4]
	call print_hex
	PRINT " mem_upper "
	mov eax, [ebp + 8]
	call print_hex
	PRINT {10}

	mov esi, [ebp + 48]           ; mmap_addr
	mov edi, esi
	add edi, [ebp + 44]           ; + mmap_length
.mmap:	cmp esi, edi
	jae .mmap_done
	PRINT "mb: mmap "
	mov eax, [esi + 4]            ; base_addr (low half)
	call print_hex
	PRINT " "
	mov eax, [esi + 12]           ; length (low half)
	call print_hex
	PRINT " "
	mov eax, [esi + 20]           ; type
	call print_hex
	PRINT {10}
	add esi, [esi]                ; size does not count itself
	add esi, 4
	jmp .mmap
.mmap_done:

	cmp dword [ebp + 20], 1
	CHECK e, "one module"
	mov edx, [ebp + 24]
	test dword [edx], 0xfff
	CHECK z, "the module is page-aligned"
	PRINT "mb: module '"
	mov esi, [edx + 8]
	call print32
	PRINT "': "
	mov esi, [edx]
.line:	cmp esi, [edx + 4]
	jae .line_done
	lodsb
	cmp al, 10
	je .line_done
	out DEBUGCON, al
	jmp .line
.line_done:
	PRINT {10, "mb: loader "}
	mov esi, [ebp + 64]
	call print32
	PRINT {10, "PASS mbguest", 10}
	EXIT 0

%include "lib_code.inc"
load_end:

section .bss
bss_word: resd 1
	resb 4096
stack_top:
bss_end:
