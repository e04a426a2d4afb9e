/* Private to the AMD-V backend. */
#ifndef LAMINA_SVM_H
#define LAMINA_SVM_H

#include "hosttimer.h"
#include "vmcb.h"
#include "vmm.h"

struct svm_vcpu {
	struct vmcb *vmcb;
	struct vmcb *host_vmcb; /* VMSAVE area for the host's own state */
	void *iopm, *msrpm;
	struct vm_event event;
	bool event_queued;
	bool nrips; /* the CPU writes next_rip (CPUID 8000_000Ah EDX[3]) */
};

void svm_vmrun(uint64_t guest_vmcb_pa, uint64_t *gpr, uint64_t host_vmcb_pa);
void svm_decode_exit(struct vcpu *v, const struct vmcb *c, bool nrips, struct vm_exit *exit);

#endif
