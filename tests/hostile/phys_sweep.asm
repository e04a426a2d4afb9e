; A sweep of every guest-physical address that is not RAM, with PAE
; paging on (2 MiB pages, SDM Vol. 3A 5.4), by MOV and by the string
; instructions, then a scan of all RAM for anything that leaked.
;
; lamina's map for a flat guest with mem=64M (core/guest.c map_memory):
; RAM 0-640K, the VGA window 0xA0000-0xBFFFF empty, 0xC0000-0xFFFFF RAM
; (no BIOS module, so no ROM: lamina maps DRAM there, as a 440FX whose PAM
; registers say read/write DRAM), RAM 1M-64M, and nothing else at all: no
; BIOS alias below 4 GiB (with a "bios" module lamina maps the image
; read-only at 4 GiB minus its size, as a PC's flash, and that window
; reads the ROM, not all-ones), no local APIC (CPUID hides it, and under
; EPT/NPT the emulator's own APIC page is not reachable from the guest),
; no IOAPIC, no MMIO BARs.  On a PC an address nobody decodes reads
; all-ones (the bus floats high, or the chipset's master abort returns
; all-ones) and a write there goes nowhere.  Expected answer, for the VGA
; window, every 4 MiB from the end of RAM to 4 GiB, and 4 GiB, 64 GiB and
; the last 2 MiB below MAXPHYADDR:
;  - a MOV store is dropped and a MOV load reads 0xFFFFFFFF;
;  - REP STOSD (2 KiB across a page, and in the 4 MiB chunks a 2 MiB,
;    boundary), REP MOVSD hole -> RAM (RAM gets all-ones), REP MOVSD
;    RAM -> hole and LODSD all run to the end: ECX 0, ESI/EDI advanced by
;    the whole length (SDM Vol. 2B "REP"), as on hardware;
;  - REP STOSD from the last RAM page into the hole above RAM, and from
;    the VGA window into the RAM at 0xC0000: the RAM part holds the data,
;    the hole part reads all-ones; REP MOVSD from the end of RAM reads the
;    RAM and then all-ones;
;  - a PDE with an address bit at or above MAXPHYADDR (CPUID 8000_0008h
;    EAX[7:0]) is a reserved-bit violation: #PF with error code P|RSVD
;    (0x9) on a read and P|W|RSVD (0xB) on a write, CR2 the linear address
;    (SDM Vol. 3A 5.7, Table 5-12 "PAE PDE that maps a 2-MByte page": bits
;    62:M reserved); a REP STOSD that starts in a hole and runs into that
;    page faults there with ECX/EDI counting the elements done, like any
;    fault in the middle of a REP string instruction (SDM Vol. 2B "REP");
;    that fault is lamina's (it carries out string moves on holes, through
;    its own walk of the guest's tables), and must be exactly 0xB.  The two
;    plain MOVs fault in the emulated CPU itself, where QEMU 7.2's TCG
;    reports RSVD with P=0 (0x8/0xA; SDM Vol. 3A 5.7: RSVD can be set only
;    if P is), so for those P is not checked;
;  - afterwards the stored pattern (built at run time, so its bytes are not
;    in this code) occurs nowhere in RAM, at any byte offset, except in the
;    one source buffer that holds it on purpose: no write aliased into RAM
;    (e.g. at 4 GiB + x onto x).
; The guest touches holes only with MOV and MOVS/STOS/LODS and compares
; registers, never memory in a hole, so it needs no more emulation from
; lamina than an empty bus and those instructions.  About 7300 exits,
; each hole access one; lamina logs each (the once-per-page log stops
; deduplicating after 64 pages), which is most of the run time on Bochs.
; test-cmdline: guest.mode=prot mem=64M
; test-module: guest
; test-expect: MAXPHYADDR \d+
; test-expect: swept 1008 chunks of 4 MiB above RAM
; test-expect: PASS phys_sweep
; test-status: 0
; test-timeout: 90 400
%include "lib.inc"
RAM_END   equ 0x4000000                ; mem=64M
PATTERN_N equ 0xa53c4e18               ; NOT of the pattern 0x5ac3b1e7
PATTERN_B equ 0xe7                     ; its first byte in memory
PATTERN2  equ 0x6d2b9f41               ; what the RAM-crossing STOSDs write
IDT       equ 0x1000
PDPT      equ 0x2000
PD0       equ 0x10000                  ; linear 0-1 GiB = physical 0-1 GiB
PDW       equ 0x11000                  ; linear 2-3 GiB: the windows
SRCBUF    equ 0x20000                  ; 256 bytes of the pattern (MOVSD source)
INBUF     equ 0x21000                  ; 256 bytes that MOVSD from a hole fills
WIN       equ 0x80000000               ; PDW[0..1]: the 4 MiB chunk under test
WIN_4G    equ WIN + 2 * 0x200000       ; PDW[2]: physical 4 GiB
WIN_64G   equ WIN + 3 * 0x200000       ; PDW[3]: physical 64 GiB
WIN_TOP   equ WIN + 4 * 0x200000       ; PDW[4]: 2^M - 2 MiB
WIN_RSVD  equ WIN + 5 * 0x200000       ; PDW[5]: 2^M (reserved)
PDE_2M    equ 0x83                     ; present, writable, PS

; FAILAT cond, "message": unless cond holds, print the message and the
; physical chunk under test ([cur_hi]:[cur_lo]), and exit with status 1.
%macro FAILAT 2
	j%+1 %%ok
	PRINT {"FAIL ", %2, " at phys 0x"}
	jmp fail_at
%%ok:
%endmacro

; FAILV cond, "message": unless cond holds, print the message and EAX
; (the value found), and exit with status 1.
%macro FAILV 2
	j%+1 %%ok
	PRINT {"FAIL ", %2, ": got 0x"}
	jmp fail_val
%%ok:
%endmacro

org 0x7c00
bits 32
	mov esp, 0x7000
	cld
	; IDT: every exception is unexpected, except #PF (vector 14)
	mov edi, IDT
	mov ecx, 32
.idt:	mov eax, unexpected
	mov [edi], ax
	mov word [edi + 2], 0x08
	mov word [edi + 4], 0x8e00
	shr eax, 16
	mov [edi + 6], ax
	add edi, 8
	loop .idt
	mov eax, pf_handler
	mov [IDT + 14 * 8], ax
	shr eax, 16
	mov [IDT + 14 * 8 + 6], ax
	lidt [idt_ptr]

	; MAXPHYADDR (CPUID 8000_0008h EAX[7:0], 36 without the leaf)
	mov eax, 0x80000000
	cpuid
	mov ebx, 36
	cmp eax, 0x80000008
	jb .m
	mov eax, 0x80000008
	cpuid
	movzx ebx, al
.m:	mov [maxphy], ebx
	PRINT "MAXPHYADDR "
	mov eax, ebx
	call print_dec
	PRINT {10}

	; PAE tables: PD0 identity 0-1 GiB, PDW the windows, filled below
	mov edi, PD0
	mov eax, PDE_2M
	mov ecx, 512
.pd0:	mov [edi], eax
	mov dword [edi + 4], 0
	add eax, 0x200000
	add edi, 8
	loop .pd0
	mov edi, PDW
	xor eax, eax
	mov ecx, 1024
	rep stosd
	mov edi, PDPT
	mov ecx, 8
	rep stosd
	mov dword [PDPT], PD0 | 1
	mov dword [PDPT + 2 * 8], PDW | 1
	; the deliberate pattern buffer (the one place RAM may hold it)
	mov eax, PATTERN_N
	not eax
	mov edi, SRCBUF
	mov ecx, 64
	rep stosd
	mov eax, cr4
	or eax, 0x20                    ; CR4.PAE
	mov cr4, eax
	mov eax, PDPT
	mov cr3, eax
	mov eax, cr0
	or eax, 0x80000000              ; CR0.PG
	mov cr0, eax

	; the VGA window, 128 KiB (identity mapped)
	mov dword [cur_lo], 0xa0000
	mov ebx, 0xa0000
	mov ebp, 0x20000
	call probe
	; REP STOSD from the VGA window into the RAM at 0xC0000
	mov eax, PATTERN2
	mov edi, 0xbfc00
	mov ecx, 0x200
	rep stosd
	test ecx, ecx
	FAILAT z, "REP STOSD from the VGA window into RAM left ECX non-zero"
	cmp edi, 0xc0400
	FAILAT e, "REP STOSD from the VGA window into RAM left EDI wrong"
	mov eax, [0xbfffc]
	cmp eax, 0xffffffff
	FAILAT e, "REP STOSD into RAM: its VGA part does not read all-ones"
	mov edi, 0xc0000
	mov ecx, 0x100
	mov eax, PATTERN2
	repe scasd
	FAILAT e, "REP STOSD from the VGA window: the RAM at 0xC0000 did not get the data"
	; 0xC0000-0xFFFFF is RAM for a guest without a BIOS module: it keeps a store
	mov dword [0xffff0], 0x13572468
	cmp dword [0xffff0], 0x13572468
	FAILAT e, "the RAM at 0xFFFF0 did not keep a store"

	; the end of RAM: REP STOSD across it, REP MOVSD out of it
	mov dword [cur_lo], RAM_END
	mov eax, PATTERN2
	mov edi, RAM_END - 0x400
	mov ecx, 0x200
	rep stosd
	test ecx, ecx
	FAILAT z, "REP STOSD across the end of RAM left ECX non-zero"
	cmp edi, RAM_END + 0x400
	FAILAT e, "REP STOSD across the end of RAM left EDI wrong"
	mov edi, RAM_END - 0x400
	mov ecx, 0x100
	repe scasd
	FAILAT e, "REP STOSD across the end of RAM: the last RAM KiB did not get the data"
	mov eax, [RAM_END]
	cmp eax, 0xffffffff
	FAILAT e, "REP STOSD across the end of RAM: the first byte above RAM is not all-ones"
	mov esi, RAM_END - 0x80
	mov edi, INBUF
	mov ecx, 64
	rep movsd
	cmp esi, RAM_END + 0x80
	FAILAT e, "REP MOVSD across the end of RAM left ESI wrong"
	mov edi, INBUF
	mov ecx, 32
	mov eax, PATTERN2
	repe scasd
	FAILAT e, "REP MOVSD across the end of RAM: the RAM half was not copied"
	mov ecx, 32
	mov eax, 0xffffffff
	repe scasd
	FAILAT e, "REP MOVSD across the end of RAM: the hole half is not all-ones"

	; every 4 MiB from the end of RAM to 4 GiB through the window PDW[0..1]
	mov dword [cur_lo], RAM_END
.chunk:	mov eax, [cur_lo]
	or eax, PDE_2M
	mov [PDW], eax
	add eax, 0x200000
	mov [PDW + 8], eax
	invlpg [WIN]
	invlpg [WIN + 0x200000]
	mov ebx, WIN
	mov ebp, 0x400000
	call probe
	inc dword [nchunks]
	add dword [cur_lo], 0x400000
	jnz .chunk                      ; until it wraps at 4 GiB
	PRINT "swept "
	mov eax, [nchunks]
	call print_dec
	PRINT {" chunks of 4 MiB above RAM", 10}

	; above 4 GiB: 4 GiB itself (an alias of 0 if bit 32 were lost) and 64 GiB
	mov dword [cur_hi], 1
	mov dword [PDW + 2 * 8], PDE_2M
	mov dword [PDW + 2 * 8 + 4], 1
	mov ebx, WIN_4G
	mov ebp, 0x200000
	call probe
	mov dword [cur_hi], 0x10
	mov dword [PDW + 3 * 8], PDE_2M
	mov dword [PDW + 3 * 8 + 4], 0x10
	mov ebx, WIN_64G
	mov ebp, 0x200000
	call probe

	; the last 2 MiB below MAXPHYADDR, and MAXPHYADDR itself (reserved)
	mov ecx, [maxphy]
	cmp ecx, 52
	jae .no_rsvd
	sub ecx, 32
	mov eax, 1
	shl eax, cl                     ; 2^M >> 32
	mov [PDW + 5 * 8 + 4], eax
	mov dword [PDW + 5 * 8], PDE_2M
	dec eax
	mov [cur_hi], eax
	mov dword [cur_lo], 0xffe00000
	mov [PDW + 4 * 8 + 4], eax
	mov dword [PDW + 4 * 8], 0xffe00000 | PDE_2M
	mov ebx, WIN_TOP
	mov ebp, 0x200000
	call probe

	mov eax, [PDW + 5 * 8 + 4]
	mov [cur_hi], eax
	mov dword [cur_lo], 0
	mov dword [resume], .r1
	mov dword [pf_count], 0
	mov eax, [WIN_RSVD]             ; read: #PF P|RSVD
.r1:	cmp dword [pf_count], 1
	FAILAT e, "a read through a PDE above MAXPHYADDR did not #PF"
	mov eax, [pf_err]
	or eax, 1                       ; P: see the header (QEMU 7.2's TCG leaves it 0)
	cmp eax, 0x9
	FAILV e, "a read through a PDE above MAXPHYADDR: #PF error code is not P|RSVD (0x9)"
	mov eax, [pf_cr2]
	cmp eax, WIN_RSVD
	FAILV e, "a read through a PDE above MAXPHYADDR: wrong CR2"
	mov dword [resume], .r2
	mov dword [WIN_RSVD + 0x10], 0  ; write: #PF P|W|RSVD
.r2:	cmp dword [pf_count], 2
	FAILAT e, "a write through a PDE above MAXPHYADDR did not #PF"
	mov eax, [pf_err]
	or eax, 1
	cmp eax, 0xb
	FAILV e, "a write through a PDE above MAXPHYADDR: #PF error code is not P|W|RSVD (0xB)"
	mov eax, [pf_cr2]
	cmp eax, WIN_RSVD + 0x10
	FAILV e, "a write through a PDE above MAXPHYADDR: wrong CR2"
	; REP STOSD from the hole below 2^M into the reserved page: the 64
	; dwords in the hole are done, the 65th faults
	mov dword [resume], .r3
	mov eax, PATTERN_N
	not eax
	mov edi, WIN_RSVD - 0x100
	mov ecx, 0x80
	rep stosd
.r3:	cmp dword [pf_count], 3
	FAILAT e, "REP STOSD from a hole into a PDE above MAXPHYADDR did not #PF"
	mov eax, [pf_err]
	cmp eax, 0xb
	FAILV e, "REP STOSD into a PDE above MAXPHYADDR: #PF error code is not P|W|RSVD (0xB)"
	mov eax, [pf_cr2]
	cmp eax, WIN_RSVD
	FAILV e, "REP STOSD into a PDE above MAXPHYADDR: wrong CR2"
	mov eax, ecx
	cmp eax, 0x40
	FAILV e, "REP STOSD into a PDE above MAXPHYADDR: ECX does not count the 64 dwords left"
	mov eax, edi
	cmp eax, WIN_RSVD
	FAILV e, "REP STOSD into a PDE above MAXPHYADDR: EDI does not point at the faulting dword"
	PRINT {"MAXPHYADDR: reserved-bit #PF on read, write and REP STOSD", 10}
	jmp .scan
.no_rsvd:
	PRINT {"MAXPHYADDR is 52: no reserved address bits to test", 10}

	; the pattern must not be anywhere in RAM but SRCBUF
.scan:	mov dword [cur_hi], 0
	mov dword [cur_lo], 0
	xor ebx, ebx
	mov ecx, 0xa0000
	call scan
	mov ebx, 0xc0000
	mov ecx, RAM_END - 0xc0000
	call scan
	PRINT {"no pattern in RAM outside its buffer", 10}
	PRINT {"PASS phys_sweep", 10}
	EXIT 0

; probe: EBX = linear base of a hole, EBP = its size (64 KiB .. 4 MiB, a
; power of two).  Seven accesses, each one exit into lamina.
probe:
	; MOV store, then MOV load at the same place
	mov eax, PATTERN_N
	not eax
	mov [ebx], eax
	mov edx, [ebx]
	cmp edx, 0xffffffff
	FAILAT e, "a MOV load after a MOV store to a hole is not all-ones"
	; REP STOSD, 2 KiB across the middle (a page, or a 2 MiB, boundary)
	mov edx, ebp
	shr edx, 1
	lea edi, [ebx + edx - 0x400]
	mov ecx, 0x200
	rep stosd
	test ecx, ecx
	FAILAT z, "REP STOSD to a hole left ECX non-zero"
	lea edx, [ebx + edx + 0x400]
	cmp edi, edx
	FAILAT e, "REP STOSD to a hole left EDI wrong"
	; REP MOVSD hole -> RAM, 256 bytes across the page at a quarter
	xor eax, eax
	mov edi, INBUF
	mov ecx, 64
	rep stosd
	mov edx, ebp
	shr edx, 2
	lea esi, [ebx + edx - 0x80]
	mov edi, INBUF
	mov ecx, 64
	rep movsd
	test ecx, ecx
	FAILAT z, "REP MOVSD from a hole left ECX non-zero"
	cmp edi, INBUF + 0x100
	FAILAT e, "REP MOVSD from a hole left EDI wrong"
	lea edx, [ebx + edx + 0x80]
	cmp esi, edx
	FAILAT e, "REP MOVSD from a hole left ESI wrong"
	mov edi, INBUF
	mov ecx, 64
	mov eax, 0xffffffff
	repe scasd
	FAILAT e, "REP MOVSD from a hole did not fill RAM with all-ones"
	; REP MOVSD RAM (the pattern) -> hole, across the page at three quarters
	mov edx, ebp
	shr edx, 2
	lea edx, [edx + edx * 2]
	mov esi, SRCBUF
	lea edi, [ebx + edx - 0x80]
	mov ecx, 64
	rep movsd
	test ecx, ecx
	FAILAT z, "REP MOVSD to a hole left ECX non-zero"
	cmp esi, SRCBUF + 0x100
	FAILAT e, "REP MOVSD to a hole left ESI wrong"
	lea eax, [ebx + edx + 0x80]
	cmp edi, eax
	FAILAT e, "REP MOVSD to a hole left EDI wrong"
	mov eax, [ebx + edx]
	cmp eax, 0xffffffff
	FAILAT e, "a hole written by REP MOVSD does not read all-ones"
	; LODSD, the last dword
	xor eax, eax
	lea esi, [ebx + ebp - 4]
	lodsd
	cmp eax, 0xffffffff
	FAILAT e, "LODSD from a hole is not all-ones"
	lea edx, [ebx + ebp]
	cmp esi, edx
	FAILAT e, "LODSD from a hole left ESI wrong"
	ret

; scan: EBX = start, ECX = length of RAM; fail if the pattern is there at
; any byte offset outside SRCBUF.  REPNE SCASB finds its first byte.
scan:
	mov edi, ebx
	mov al, PATTERN_B
.next:	repne scasb
	jne .done
	mov edx, PATTERN_N
	not edx
	cmp [edi - 1], edx
	jne .next
	lea edx, [edi - 1]
	cmp edx, SRCBUF
	jb .found
	cmp edx, SRCBUF + 0x100 - 4
	jbe .next
.found:	mov [cur_lo], edx
	PRINT {"FAIL the pattern written to holes turned up in RAM at phys 0x"}
	jmp fail_at
.done:	ret

; After a FAILV message: EAX, a newline, exit 1.
fail_val:
	call print_hex
	PRINT {10}
	EXIT 1

; After a FAILAT message: the address, a newline, exit 1.
fail_at:
	mov eax, [cur_hi]
	call print_hex
	mov eax, [cur_lo]
	call print_hex
	PRINT {10}
	EXIT 1

pf_handler:
	pop dword [pf_err]
	push eax
	mov eax, cr2
	mov [pf_cr2], eax
	inc dword [pf_count]
	mov eax, [resume]
	mov [esp + 4], eax
	pop eax
	iret

unexpected:
	PRINT {"FAIL unexpected exception", 10}
	EXIT 1


align 4
cur_hi:	dd 0
cur_lo:	dd 0
nchunks: dd 0
maxphy:	dd 0
resume:	dd 0
pf_count: dd 0
pf_err:	dd 0
pf_cr2:	dd 0
idt_ptr: dw 32 * 8 - 1
	dd IDT
%include "lib_code.inc"
