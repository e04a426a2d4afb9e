/*
 * Page services on top of the physical allocator: zeroed pages, and the
 * identity map beyond the 4 GiB that boot/entry.asm maps.  The monitor
 * addresses every physical page at its own address (virtual == physical).
 */
#include "lib.h"
#include "monitor.h"
#include "palloc.h"

#define PTE_P BIT(0)
#define PTE_RW BIT(1)
#define PTE_PS BIT(7)

extern uint64_t boot_pdpt[512];

void *pages_alloc(uint64_t npages, uint64_t align)
{
	uint64_t pa = palloc_alloc(npages, align);

	if (!pa)
		return NULL;
	memset((void *)pa, 0, npages * PAGE_SIZE);
	return (void *)pa;
}

void pages_free(void *p, uint64_t npages)
{
	palloc_free((uint64_t)p, npages);
}

/*
 * Map [4 GiB, top) with 2 MiB pages (SDM Vol. 3A 5.5.4, Figure 5-9): one
 * page directory per GiB, hung off the boot PDPT.  One PDPT covers
 * 512 GiB; RAM above that is left unmapped and so never allocated.
 */
void paging_map_identity(uint64_t top)
{
	uint64_t gib_top = ALIGN_UP(top, GiB(1)) >> 30;

	if (gib_top > 512)
		gib_top = 512;
	for (uint64_t g = 4; g < gib_top; g++) {
		uint64_t *pd;

		if (boot_pdpt[g] & PTE_P)
			continue;
		/* The allocator only hands out mapped memory, so this PD lives
		 * below the part of the map it is about to extend. */
		pd = pages_alloc(1, PAGE_SIZE);
		if (!pd)
			panic_halt("out of memory while mapping RAM above 4 GiB");
		for (uint64_t i = 0; i < 512; i++)
			pd[i] = (g << 30) + (i << 21) + (PTE_P | PTE_RW | PTE_PS);
		boot_pdpt[g] = (uint64_t)pd | PTE_P | PTE_RW;
	}
	__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
}
