/*
 * What the rest of lamina may call in the VT-x backend besides vmx_ops
 * (include/vmm.h).
 */
#ifndef LAMINA_VMX_H
#define LAMINA_VMX_H

#include "vmm.h"

/*
 * Test aid: break one guest-state field on purpose (the CS access rights
 * get an illegal segment type), so the next VM entry fails with exit
 * reason 33 "invalid guest state" (SDM Vol. 3C 27.3.1.2, 27.8) and the
 * failure report can be checked.  Call after init(), before run().
 */
void vmx_corrupt_guest_state(struct vcpu *v);

#endif
