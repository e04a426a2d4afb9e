/*
 * An interrupt line from a device model to an interrupt controller.
 * Devices call irq_set(line, level); edge-triggered inputs see a
 * 0 -> 1 transition as an edge.  In host tests the line points at a
 * recording stub; in the monitor it points at the virtual 8259 pair.
 */
#ifndef LAMINA_IRQ_H
#define LAMINA_IRQ_H

#include "types.h"

struct irq_line {
	void (*set)(void *opaque, unsigned irq, int level);
	void *opaque;
	unsigned irq;
};

static inline void irq_set(const struct irq_line *l, int level)
{
	if (l && l->set)
		l->set(l->opaque, l->irq, level);
}

#endif
