; Garbage to every port: a long deterministic sequence of IN and OUT of
; random size (byte, word, dword), random port and random value, drawn from
; a xorshift32 PRNG (Marsaglia 2003) with a fixed seed, which is printed so
; a failing run can be replayed.  Three ops in four go to the emulated
; devices' ranges (PIC, PIT, i8042, RTC, DMA pages, 0x92, IDE 0x1F0/0x170/
; 0x3F6/0x376, COM1/COM2, floppy 0x3F0, ELCR 0x4D0, fw_cfg 0x510-0x51B,
; PCI 0xCF8-0xCFF, the IDE bus master at 0xC000), the rest anywhere in the
; 64 KiB I/O space; one op in 64 is a REP INSB, INSW or OUTSB of up to
; 4095 elements between a random port and a buffer.
;
; Expected answer (what a PC does): an I/O instruction never faults at
; CPL 0 (SDM Vol. 1 "I/O Privilege Level": IOPL and the I/O bitmap only
; matter when CPL > IOPL), a REP string I/O ends with ECX 0 and EDI/ESI
; moved by count * size (SDM Vol. 2B "INS", "OUTS", "REP"), whatever the
; device did, and no port write resets, stops or faults the machine apart
; from the ones left out below.  Afterwards the guest still runs and its
; code is unchanged, fw_cfg still reads "QEMU" (QEMU docs/specs/fw_cfg.rst)
; and PCI 00:00.0 is still the 440FX (8086:1237): the devices answer again
; once addressed properly.  lamina logs 64 unclaimed ports and then says
; it logs no more (core/iobus.c).
;
; Left out, because on a PC they legitimately reset or stop the machine
; (and reset is tested in tests/hostile/reset_smc.asm): writes reaching
; 0xF4 (this test's exit port) and 0xE9 (its console: garbage there would
; be output, not an attack) are turned into reads of the same port; in a
; write reaching 0x92 bit 0 (fast reset, PIIX/PIIX4 "Port 92h"), 0xCF9
; bit 2 (PIIX3 reset control, RST_CPU) is cleared, and a byte 0xD1 (write
; output port: bit 0 is the reset line) or 0xF0-0xFF (pulse output lines;
; bit 0 low pulses reset) to the i8042 command port 0x64 gets bit 7 flipped
; (0x51 reads and 0x70-0x7F write controller RAM: harmless).  "Reaching"
; counts every byte a word or dword access covers.  REP OUTSB (of PRNG
; bytes prepared at the start) stays away from these ports and from 0x40
; (below), and sends at most 63 bytes to a UART's data port (those become
; console output, at 115200 baud under Bochs).
;
; One more change keeps the run time bounded: every byte written to port
; 0x40 (PIT counter 0) gets bits 7:6 set, and a control word for counter 0
; with RW = 01 (LSB only) gets RW = 11 (LSB then MSB), so counter 0 counts
; at least 0xC000 CLKs and IRQ0 runs at most at 24 Hz (8254 datasheet:
; 1.193182 MHz input, "Read/Write" field of the control word).  lamina
; arms its deadline timer for every OUT0 edge of counter 0, and from 120
; CLKs on delivers the edges it owes a quarter period apart (KVM-like
; "reinject"; devices/vatpit.c), even with IF=0 and IRQ0 already pending in
; the PIC, so a fast counter 0 makes most exits timer exits under Bochs
; (measured with the unrestricted garbage: 3.9 M timer exits, 97% of all,
; in 120 s; with counts >= 0xC0 still 670 k timer exits in 60 s, 85%; the
; garbage 5-20x slower) -- a cost, not a loss of control, and not what
; this test is about.
;
; DMA: the only engine here that can write guest RAM is fw_cfg's (a dword
; write to 0x518 starts one at a big-endian address, the high half from
; 0x514 or 0): the 8237 has no memory-to-memory mode in lamina and its only
; client, the floppy controller, has no disk, and the IDE bus master has
; no drives to move data.  A random descriptor address lands in the 64 MiB
; of RAM about once in 130 transfers; there it reads zeros (a descriptor
; that does nothing; its zero control word is written back) or one of the
; two string I/O buffers at 1 MiB, whose target's high half is random
; (outside RAM).  This code at 0x7C00 (about 1.5 KiB) and its stack below
; it are the only other non-zero RAM: a descriptor there would be the
; fw_cfg model obeying garbage, not lamina losing control, so the guest
; checksums its code before and after and reports a change.
; The guest keeps IF=0 throughout.
; test-cmdline: guest.mode=prot mem=64M
; test-module: guest
; test-expect: port garbage: seed 0x[0-9a-f]{8}
; test-expect: lamina: io: more than 64 unclaimed ports: no more are logged
; test-expect: port garbage: \d+ operations done \(\d+ string\), code intact
; test-expect: PASS port_garbage
; test-status: 0
; test-timeout: 90 300
%include "lib.inc"
SEED     equ 0x2545f491
NOPS     equ 200000                    ; I/O instructions (each one exit)
SCRATCH  equ 0x100000                  ; REP INS buffer (what devices sent), 16 KiB
OUTSRC   equ 0x110000                  ; REP OUTS source: PRNG bytes, 8 KiB
BM_BASE  equ 0xc000                    ; where this guest puts the IDE bus master

org 0x7c00
bits 32
	mov esp, 0x7000
	cld
	mov dword [rng], SEED
	PRINT "port garbage: seed 0x"
	mov eax, SEED
	call print_hex
	PRINT {10}
	; the IDE function's bus-master registers at BM_BASE (BAR4), I/O and
	; bus master on, as a BIOS would do (PCI 2.1 6.2.2, 6.2.5)
	mov dx, 0xcf8
	mov eax, 0x80000920             ; 00:01.1, BAR4
	out dx, eax
	mov dx, 0xcfc
	mov eax, BM_BASE | 1
	out dx, eax
	mov dx, 0xcf8
	mov eax, 0x80000904             ; command register
	out dx, eax
	mov dx, 0xcfc
	mov ax, 0x0005
	out dx, ax
	; the REP OUTSB source: PRNG bytes, so what is sent does not depend
	; on what devices answered (the run stays deterministic)
	mov edi, OUTSRC
	mov ecx, 8192 / 4
.fill:	call rand
	stosd
	loop .fill
	call code_sum
	mov [sum_before], eax

	mov dword [ops], NOPS
.op:	call rand
	test al, 63
	jz .string
	call pick_port
	mov ebx, eax                    ; EBX: port
	call rand
	mov edi, eax                    ; EDI: value
	call rand
	shr eax, 8
	mov ecx, eax
	and ecx, 3                      ; size: 0 -> 1, 1 -> 2, 2/3 -> 4
	mov esi, 1
	shl esi, cl
	cmp esi, 8
	jne .sz
	mov esi, 4
.sz:	mov dx, bx
	test al, 4                      ; direction
	jnz .out
.in:	cmp esi, 2
	je .inw
	ja .ind
	in al, dx
	jmp .next
.inw:	in ax, dx
	jmp .next
.ind:	in eax, dx
	jmp .next
.out:	call sanitize                   ; EDI = value, CF = turn into a read
	jc .in
	mov eax, edi
	cmp esi, 2
	je .outw
	ja .outd
	out dx, al
	jmp .next
.outw:	out dx, ax
	jmp .next
.outd:	out dx, eax
	jmp .next

	; REP INSB / INSW / OUTSB of 0-4095 elements
.string:
	inc dword [nstring]
	call pick_port
	mov ebx, eax
	call rand
	mov ecx, eax
	shr ecx, 8
	and ecx, 0xfff
	mov edi, eax
	shr edi, 20
	and edi, 0xfff
	add edi, SCRATCH                ; start somewhere in the first 4 KiB
	mov dx, bx
	and eax, 3
	jz .insw
	cmp eax, 1
	je .outsb
.insb:	mov [want], edi
	add [want], ecx
	rep insb
	jmp .strchk
.insw:	mov [want], edi
	lea eax, [ecx * 2]
	add [want], eax
	rep insw
	jmp .strchk
.outsb:	call outs_port_ok               ; may shorten ECX, or skip (CF)
	jc .next
	lea esi, [edi - SCRATCH + OUTSRC]
	mov [want], esi
	add [want], ecx
	rep outsb
	mov edi, esi
.strchk:
	test ecx, ecx
	CHECK z, "REP string I/O ended with ECX non-zero"
	cmp edi, [want]
	CHECK e, "REP string I/O left EDI/ESI at the wrong place"
.next:	dec dword [ops]
	jnz .op

	; still here: the code is unchanged and the devices answer
	call code_sum
	cmp eax, [sum_before]
	CHECK e, "this guest's code changed during the garbage (a DMA hit it?)"
	PRINT "port garbage: "
	mov eax, NOPS
	call print_dec
	PRINT " operations done ("
	mov eax, [nstring]
	call print_dec
	PRINT {" string), code intact", 10}
	mov dx, 0x510                   ; fw_cfg: select the signature, read it
	xor ax, ax
	out dx, ax
	mov dx, 0x511
	mov ecx, 4
.sig:	in al, dx
	shl ebx, 8
	mov bl, al
	loop .sig
	cmp ebx, 'UMEQ'                 ; "QEMU", first byte ends up highest
	CHECK e, "fw_cfg no longer reads QEMU"
	mov dx, 0xcf8
	mov eax, 0x80000000             ; 00:00.0 vendor and device
	out dx, eax
	mov dx, 0xcfc
	in eax, dx
	cmp eax, 0x12378086
	CHECK e, "PCI 00:00.0 no longer reads 8086:1237"
	PRINT {"PASS port_garbage", 10}
	EXIT 0

; xorshift32: EAX = next value
rand:
	mov eax, [rng]
	push edx
	mov edx, eax
	shl edx, 13
	xor eax, edx
	mov edx, eax
	shr edx, 17
	xor eax, edx
	mov edx, eax
	shl edx, 5
	xor eax, edx
	pop edx
	mov [rng], eax
	ret

; EAX = a port: 3 in 4 from the device ranges, else any
pick_port:
	push ebx
	push edx
	call rand
	mov ebx, eax
	test bl, 3
	jz .any
	shr ebx, 8
	movzx eax, bl
	xor edx, edx
	push ecx
	mov ecx, NRANGES
	div ecx                         ; EDX = range index
	pop ecx
	movzx eax, word [ranges + edx * 4]     ; base
	movzx edx, word [ranges + edx * 4 + 2] ; length
	shr ebx, 8
	and ebx, 0xffff
	push eax
	mov eax, ebx
	push ecx
	mov ecx, edx
	xor edx, edx
	div ecx                         ; EDX = offset in the range
	pop ecx
	pop eax
	add eax, edx
	jmp .done
.any:	shr ebx, 16
	mov eax, ebx
.done:	and eax, 0xffff
	pop edx
	pop ebx
	ret

; sanitize: a write of ESI bytes of EDI to port BX.  Returns CF=1 if it
; reaches 0xE9 or 0xF4, else EDI with the reset bits taken out.
sanitize:
	push eax
	push ecx
	push edx
	xor ecx, ecx                    ; byte lane
.lane:	lea edx, [ebx + ecx]
	and edx, 0xffff
	cmp edx, 0xe9
	je .skip
	cmp edx, 0xf4
	je .skip
	push ecx
	shl ecx, 3                      ; bit offset of the lane
	cmp edx, 0x92
	jne .n92
	mov eax, 1
	shl eax, cl
	not eax
	and edi, eax                    ; port 92h bit 0: fast reset
.n92:	cmp edx, 0xcf9
	jne .ncf9
	mov eax, 4
	shl eax, cl
	not eax
	and edi, eax                    ; 0xCF9 bit 2: RST_CPU
.ncf9:	cmp edx, 0x40
	jne .n40
	mov eax, 0xc0
	shl eax, cl
	or edi, eax                     ; PIT counter 0: every count byte >= 0xC0
.n40:	cmp edx, 0x43
	jne .n43
	mov eax, edi
	shr eax, cl
	test al, 0xc0                   ; a control word for counter 0 ...
	jnz .n43
	and al, 0x30
	cmp al, 0x10                    ; ... with RW = LSB only
	jne .n43
	mov eax, 0x20
	shl eax, cl
	or edi, eax                     ; becomes LSB then MSB
.n43:	cmp edx, 0x64
	jne .n64
	mov eax, edi
	shr eax, cl
	cmp al, 0xd1
	je .flip
	cmp al, 0xf0
	jb .n64
.flip:	mov eax, 0x80
	shl eax, cl
	xor edi, eax                    ; 0xD1 -> 0x51, 0xFx -> 0x7x
.n64:	pop ecx
	inc ecx
	cmp ecx, esi
	jb .lane
	clc
	jmp .ret
.skip:	stc
.ret:	pop edx
	pop ecx
	pop eax
	ret

; outs_port_ok: REP OUTSB of ECX bytes to port BX.  CF=1: skip it (it
; would reach one of the ports sanitize changes); to a UART data port at
; most 63 bytes.
outs_port_ok:
	movzx eax, bx
	cmp eax, 0xe9
	je .no
	cmp eax, 0xf4
	je .no
	cmp eax, 0x92
	je .no
	cmp eax, 0x64
	je .no
	cmp eax, 0x40
	je .no
	cmp eax, 0xcf9
	je .no
	cmp eax, 0x3f8
	je .uart
	cmp eax, 0x2f8
	jne .ok
.uart:	and ecx, 63
.ok:	clc
	ret
.no:	stc
	ret

; code_sum: EAX = a rotate-and-add checksum of this guest's code and data
; up to code_end (the variables that change live after it)
code_sum:
	push esi
	push ecx
	push edx
	mov esi, 0x7c00
	mov ecx, code_end - 0x7c00
	xor edx, edx
.b:	movzx eax, byte [esi]
	rol edx, 5
	add edx, eax
	inc esi
	loop .b
	mov eax, edx
	pop edx
	pop ecx
	pop esi
	ret


; the device ranges: base, length
align 4
ranges:	dw 0x0000, 0x100        ; DMA, PIC, PIT, i8042, RTC, 0x92, ELCR page, debug ports
	dw 0x0170, 8            ; IDE secondary
	dw 0x01f0, 8            ; IDE primary
	dw 0x0376, 1            ; IDE secondary control
	dw 0x03f6, 1            ; IDE primary control
	dw 0x02f8, 8            ; COM2
	dw 0x03f8, 8            ; COM1
	dw 0x03f0, 8            ; floppy controller
	dw 0x04d0, 2            ; ELCR
	dw 0x0510, 12           ; fw_cfg and its DMA address
	dw 0x0cf8, 8            ; PCI configuration
	dw BM_BASE, 16          ; IDE bus master
NRANGES equ ($ - ranges) / 4
%include "lib_code.inc"
code_end:

align 4
rng:	dd 0
ops:	dd 0
nstring: dd 0
want:	dd 0
sum_before: dd 0
