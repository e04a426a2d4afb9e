; A hostile driver for the PIIX3 IDE controller: sector numbers past the
; end of the disk (LBA28 and LBA48), an unknown command, a command to an
; absent device, and bus-master DMA with PRD tables that point outside
; RAM or never end.  Each must end in an ATA error (ERR with IDNF or
; ABRT in the error register, the BM error bit for bad PRDs) with no data
; moved, and the disk must still work afterwards.  No BIOS: the guest
; programs the PCI function itself.
; test-cmdline: mem=64M
; test-module: guest
; test-module: {BUILD}/disks/freedos-hd.img:ide0
; test-expect: PASS ide_hostile
; test-status: 0
%include "lib.inc"
ATA_DATA    equ 0x1f0
ATA_ERROR   equ 0x1f1
ATA_NSECT   equ 0x1f2
ATA_LBAL    equ 0x1f3
ATA_LBAM    equ 0x1f4
ATA_LBAH    equ 0x1f5
ATA_DEVICE  equ 0x1f6
ATA_STATUS  equ 0x1f7           ; read: status, write: command
ST_ERR      equ 0x01
ST_DRQ      equ 0x08
ST_DRDY     equ 0x40
ER_ABRT     equ 0x04
ER_IDNF     equ 0x10
BM_BASE     equ 0xc000          ; where this guest puts BAR4
BM_CMD      equ BM_BASE
BM_STATUS   equ BM_BASE + 2
BM_PRDT     equ BM_BASE + 4
BM_ERROR    equ 0x02
PCI_IDE     equ 0x80000000 | (1 << 11) | (1 << 8)   ; 00:01.1
IDBUF       equ 0x2000          ; IDENTIFY data
PRDT        equ 0x3000          ; a PRD table
DMABUF      equ 0x4000          ; where a good DMA read would land
BIGPRDT     equ 0x10000         ; 64 KiB of PRDs without an end mark
org 0x7c00
bits 16
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7000
	cld

	; PCI: BAR4 (bus-master window) at BM_BASE, I/O and bus mastering on.
	mov eax, PCI_IDE | 0x20
	mov dx, 0xcf8
	out dx, eax
	mov eax, BM_BASE | 1
	mov dx, 0xcfc
	out dx, eax
	mov eax, PCI_IDE | 0x04
	mov dx, 0xcf8
	out dx, eax
	mov ax, 0x0005
	mov dx, 0xcfc
	out dx, ax

	; IDENTIFY DEVICE: a working disk to start with; its LBA28 size.
	call identify
	mov eax, [IDBUF + 60 * 2]
	mov [capacity], eax
	test eax, eax
	CHECK nz, "IDENTIFY gave no LBA28 capacity"

	; READ SECTORS at LBA = capacity (one past the end): IDNF, no DRQ.
	mov eax, [capacity]
	mov bl, 0x20
	call ata_lba28
	call expect_error
	cmp al, ER_IDNF
	CHECK e, "READ SECTORS past the end did not give IDNF"

	; WRITE SECTORS at 0FFFFFFFh: IDNF, nothing asks for data.
	mov eax, 0x0fffffff
	mov bl, 0x30
	call ata_lba28
	call expect_error
	cmp al, ER_IDNF
	CHECK e, "WRITE SECTORS at 0FFFFFFFh did not give IDNF"

	; READ SECTORS EXT at LBA 0000_FFFF_FFFF_FFFFh, 65536 sectors (count 0).
	mov dx, ATA_DEVICE
	mov al, 0x40
	out dx, al
	mov cx, 2                       ; previous (HOB) then current bytes
.hob:	mov dx, ATA_NSECT
	xor al, al
	out dx, al
	mov al, 0xff
	mov dx, ATA_LBAL
	out dx, al
	inc dx
	out dx, al
	inc dx
	out dx, al
	loop .hob
	mov dx, ATA_STATUS
	mov al, 0x24
	out dx, al
	call expect_error
	cmp al, ER_IDNF
	CHECK e, "READ SECTORS EXT far past the end did not give IDNF"

	; An opcode no ATA device knows: ABRT.
	mov dx, ATA_DEVICE
	mov al, 0xe0
	out dx, al
	mov dx, ATA_STATUS
	mov al, 0xff
	out dx, al
	call expect_error
	cmp al, ER_ABRT
	CHECK e, "an unknown command was not aborted"

	; The slave is absent: commands to it are ignored, no DRQ ever.
	mov dx, ATA_DEVICE
	mov al, 0xf0
	out dx, al
	mov dx, ATA_STATUS
	mov al, 0xec
	out dx, al
	in al, dx
	test al, ST_DRQ
	CHECK z, "an absent slave asked for a data transfer"
	mov dx, ATA_DATA
	in ax, dx                       ; must not hang or crash anything

	; READ DMA into a PRD that points at 0xFEE00000 (no RAM there).
	mov dword [PRDT], 0xfee00000
	mov dword [PRDT + 4], 0x80000200 ; 512 bytes, end of table
	call dma_read_one
	test al, BM_ERROR
	CHECK nz, "a PRD outside RAM did not set the bus-master error bit"
	call ata_status_err
	CHECK nz, "a PRD outside RAM left the drive without ERR"

	; READ DMA of 256 sectors through 64 KiB of 2-byte PRDs that never
	; end: the controller must stop at its page, not run on.
	mov di, 0
	mov ax, BIGPRDT >> 4
	mov es, ax
	mov cx, 8192
.fill:	mov dword [es:di], DMABUF
	mov dword [es:di + 4], 2        ; 2 bytes, no end mark
	add di, 8
	loop .fill
	xor ax, ax
	mov es, ax
	mov dword [DMABUF], 0x5a5a5a5a
	mov eax, BIGPRDT
	mov bl, 0                        ; 0 = 256 sectors
	call dma_read
	test al, BM_ERROR
	CHECK nz, "an unterminated PRD table did not set the bus-master error bit"
	cmp dword [DMABUF], 0x5a5a5a5a
	CHECK e, "an unterminated PRD table moved data"

	; A good DMA read still works: sector 0 ends in 55AAh.
	mov dword [PRDT], DMABUF
	mov dword [PRDT + 4], 0x80000200
	call dma_read_one
	test al, BM_ERROR
	CHECK z, "a good DMA read set the bus-master error bit"
	cmp word [DMABUF + 510], 0xaa55
	CHECK e, "a good DMA read did not bring the boot sector"
	call identify
	PRINT {"PASS ide_hostile", 10}
	EXIT 0

; IDENTIFY DEVICE on the master into IDBUF (REP INSW: one exit).
identify:
	mov dx, ATA_DEVICE
	mov al, 0xe0
	out dx, al
	mov dx, ATA_STATUS
	mov al, 0xec
	out dx, al
	in al, dx
	test al, ST_ERR
	CHECK z, "IDENTIFY DEVICE failed"
	test al, ST_DRQ
	CHECK nz, "IDENTIFY DEVICE has no data"
	mov di, IDBUF
	mov cx, 256
	mov dx, ATA_DATA
	rep insw
	ret

; Issue command BL for one sector at LBA28 EAX on the master.
ata_lba28:
	mov ecx, eax
	mov dx, ATA_NSECT
	mov al, 1
	out dx, al
	mov al, cl
	mov dx, ATA_LBAL
	out dx, al
	mov al, ch
	inc dx
	out dx, al
	shr ecx, 16
	mov al, cl
	inc dx
	out dx, al
	mov al, ch
	and al, 0x0f
	or al, 0xe0
	inc dx
	out dx, al
	mov al, bl
	inc dx
	out dx, al
	ret

; The command just issued must have failed: ERR set, DRQ clear.
; Returns the error register in AL.
expect_error:
	mov dx, ATA_STATUS
	in al, dx
	test al, ST_DRQ
	CHECK z, "a failed command asked for data"
	test al, ST_ERR
	CHECK nz, "a bad command did not set ERR"
	mov dx, ATA_ERROR
	in al, dx
	ret

; ZF clear when the drive's status has ERR.
ata_status_err:
	mov dx, ATA_STATUS
	in al, dx
	test al, ST_ERR
	ret

; READ DMA of one sector (LBA 0) through the table at PRDT.
dma_read_one:
	mov eax, PRDT
	mov bl, 1
; READ DMA of BL sectors from LBA 0 through the PRD table at EAX; returns
; the bus-master status in AL, with the engine stopped again.
dma_read:
	mov dx, BM_PRDT
	out dx, eax
	mov dx, BM_STATUS
	mov al, 0x06                    ; clear interrupt and error
	out dx, al
	mov dx, BM_CMD
	mov al, 0x08                    ; direction: device to memory
	out dx, al
	mov dx, ATA_NSECT
	mov al, bl
	out dx, al
	xor al, al
	mov dx, ATA_LBAL
	out dx, al
	inc dx
	out dx, al
	inc dx
	out dx, al
	mov al, 0xe0
	inc dx
	out dx, al
	mov al, 0xc8                    ; READ DMA
	inc dx
	out dx, al
	mov dx, BM_CMD
	mov al, 0x09                    ; start
	out dx, al
	mov dx, BM_STATUS
	in al, dx
	mov bl, al
	mov dx, BM_CMD
	mov al, 0
	out dx, al
	mov dx, ATA_STATUS              ; acknowledge the interrupt
	in al, dx
	mov al, bl
	ret

capacity: dd 0
%include "lib_code.inc"
