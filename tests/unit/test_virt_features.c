/*
 * virt_assess: fabricated CPUID/MSR values for Intel and AMD CPUs, each
 * missing one thing lamina needs, and the sentence it gives for each.
 * VT-x: IA32_FEATURE_CONTROL (SDM Vol. 3C 24.7), and the allowed-1
 * settings of the VMX controls, which are the high 32 bits of each
 * capability MSR (SDM Vol. 3D A.3).  AMD-V: VM_CR.SVMDIS/LOCK (APM Vol. 2
 * 15.4) and CPUID 8000_000Ah EDX (NP, NRIPS).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "virt_features.h"

/* allowed-1 bits go in the high half of a VMX capability MSR */
#define ALLOWED1(bits) ((uint64_t)(bits) << 32)

#define WHY_LOCKED_OFF                                                              \
	"VT-x is disabled by firmware: IA32_FEATURE_CONTROL is locked with "        \
	"VMX-outside-SMX off (enable VT-x in the firmware setup)"

/* A CPU with everything lamina wants from VT-x, firmware leaving
 * IA32_FEATURE_CONTROL unlocked. */
static struct cpu_raw intel_full(void)
{
	return (struct cpu_raw){
		.vendor = "GenuineIntel",
		.family = 6,
		.model = 0x9e,
		.vmx = true,
		.feature_control = 0,
		.vmx_pinbased = ALLOWED1(PIN_PREEMPTION_TIMER | 0x16) | 0x16,
		.vmx_procbased = ALLOWED1(PROC_ACTIVATE_SECONDARY | 0x0401e172) | 0x0401e172,
		.vmx_procbased2 = ALLOWED1(PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED_GUEST),
	};
}

static struct cpu_raw amd_full(void)
{
	return (struct cpu_raw){
		.vendor = "AuthenticAMD",
		.family = 0x17,
		.svm = true,
		.svm_features = SVM_FEATURE_NPT | SVM_FEATURE_NRIPS,
		.svm_nasid = 0x8000,
	};
}

static void test_intel_everything_usable(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	memset(&rep, 0xa5, sizeof(rep));
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_VMX);
	assert_true(rep.ept);
	assert_true(rep.unrestricted);
	assert_true(rep.vpid);
	assert_true(rep.preemption_timer);
	assert_true(rep.feature_control_unlocked);
	assert_false(rep.npt);
	assert_false(rep.nrips);
	assert_string_equal(rep.why_not, "");
}

static void test_intel_locked_with_vmx_on_is_usable(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.feature_control = FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_VMX);
	assert_false(rep.feature_control_unlocked);
}

static void test_intel_locked_with_vmx_off(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.feature_control = FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_IN_SMX;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_false(rep.feature_control_unlocked);
	assert_string_equal(rep.why_not, WHY_LOCKED_OFF);
}

static void test_intel_unlocked_with_vmx_off_is_usable(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.feature_control = FEATURE_CONTROL_VMX_IN_SMX; /* lamina sets the bit itself */
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_VMX);
	assert_true(rep.feature_control_unlocked);
}

static void test_intel_without_secondary_controls(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.vmx_procbased &= ~ALLOWED1(PROC_ACTIVATE_SECONDARY);
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	/* the secondary capability MSR is not consulted */
	assert_false(rep.ept);
	assert_false(rep.unrestricted);
	assert_false(rep.vpid);
	assert_string_equal(rep.why_not,
			    "VT-x has no secondary processor-based controls "
			    "(IA32_VMX_PROCBASED_CTLS allows no 'activate secondary controls'), "
			    "so no EPT");
}

static void test_intel_without_ept(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.vmx_procbased2 &= ~ALLOWED1(PROC2_EPT);
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_false(rep.ept);
	assert_true(rep.unrestricted);
	assert_string_equal(rep.why_not,
			    "VT-x has no EPT (IA32_VMX_PROCBASED_CTLS2 allows no 'enable EPT')");
}

static void test_intel_without_unrestricted_guest(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.vmx_procbased2 &= ~ALLOWED1(PROC2_UNRESTRICTED_GUEST);
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_true(rep.ept);
	assert_false(rep.unrestricted);
	assert_string_equal(rep.why_not,
			    "VT-x has no unrestricted guest, needed to run real-mode firmware");
}

static void test_intel_without_preemption_timer(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.vmx_pinbased &= ~ALLOWED1(PIN_PREEMPTION_TIMER);
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_false(rep.preemption_timer);
	assert_string_equal(rep.why_not,
			    "VT-x has no VMX preemption timer (IA32_VMX_PINBASED_CTLS bit 6)");
}

static void test_intel_without_vpid_is_still_usable(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.vmx_procbased2 &= ~ALLOWED1(PROC2_VPID);
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_VMX);
	assert_false(rep.vpid);
}

static void test_intel_firmware_lock_reported_before_missing_features(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.feature_control = FEATURE_CONTROL_LOCK;
	raw.vmx_procbased2 = 0;
	virt_assess(&raw, &rep);
	assert_string_equal(rep.why_not, WHY_LOCKED_OFF);
}

/* Bits set only in the low (allowed-0) half say nothing about allowed-1. */
static void test_vmx_low_half_bits_do_not_count(void **state)
{
	struct cpu_raw raw = intel_full();
	struct virt_report rep;

	(void)state;
	raw.vmx_pinbased = PIN_PREEMPTION_TIMER;
	virt_assess(&raw, &rep);
	assert_false(rep.preemption_timer);
	assert_int_equal(rep.usable, VIRT_NONE);

	raw = intel_full();
	raw.vmx_procbased2 = PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED_GUEST;
	virt_assess(&raw, &rep);
	assert_false(rep.ept);
	assert_false(rep.unrestricted);
	assert_false(rep.vpid);
	assert_int_equal(rep.usable, VIRT_NONE);

	raw = intel_full();
	raw.vmx_procbased = PROC_ACTIVATE_SECONDARY;
	virt_assess(&raw, &rep);
	assert_false(rep.ept);
	assert_int_equal(rep.usable, VIRT_NONE);
}

static void test_amd_usable_with_nrip(void **state)
{
	struct cpu_raw raw = amd_full();
	struct virt_report rep;

	(void)state;
	memset(&rep, 0xa5, sizeof(rep));
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_SVM);
	assert_true(rep.npt);
	assert_true(rep.nrips);
	assert_false(rep.ept);
	assert_string_equal(rep.why_not, "");
}

static void test_amd_usable_without_nrip(void **state)
{
	struct cpu_raw raw = amd_full();
	struct virt_report rep;

	(void)state;
	raw.svm_features = SVM_FEATURE_NPT;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_SVM);
	assert_true(rep.npt);
	assert_false(rep.nrips);
}

static void test_amd_svmdis_without_lock(void **state)
{
	struct cpu_raw raw = amd_full();
	struct virt_report rep;

	(void)state;
	raw.vm_cr = VM_CR_SVMDIS;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_string_equal(rep.why_not, "AMD-V is disabled by firmware: VM_CR.SVMDIS is set "
					 "(enable SVM in the firmware setup)");
}

static void test_amd_svmdis_with_lock(void **state)
{
	struct cpu_raw raw = amd_full();
	struct virt_report rep;

	(void)state;
	raw.vm_cr = VM_CR_SVMDIS | VM_CR_LOCK;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_string_equal(rep.why_not, "AMD-V is disabled by firmware: VM_CR.SVMDIS is set "
					 "and VM_CR.LOCK is set (enable SVM in the firmware setup)");
}

static void test_amd_lock_alone_is_usable(void **state)
{
	struct cpu_raw raw = amd_full();
	struct virt_report rep;

	(void)state;
	raw.vm_cr = VM_CR_LOCK;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_SVM);
}

static void test_amd_without_npt(void **state)
{
	struct cpu_raw raw = amd_full();
	struct virt_report rep;

	(void)state;
	raw.svm_features = SVM_FEATURE_NRIPS;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_false(rep.npt);
	assert_true(rep.nrips);
	assert_string_equal(rep.why_not, "AMD-V has no nested paging (CPUID 8000_000Ah EDX.NP=0)");
}

static void test_neither_on_bare_metal(void **state)
{
	struct cpu_raw raw = { .vendor = "GenuineIntel" };
	struct virt_report rep;

	(void)state;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_string_equal(rep.why_not, "this CPU offers neither VT-x (CPUID.1:ECX.VMX=0) nor "
					 "AMD-V (CPUID.80000001h:ECX.SVM=0)");
}

static void test_neither_under_a_hypervisor(void **state)
{
	struct cpu_raw raw = { .vendor = "AuthenticAMD", .hypervisor_bit = true };
	struct virt_report rep;

	(void)state;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_string_equal(rep.why_not, "this CPU offers neither VT-x (CPUID.1:ECX.VMX=0) nor "
					 "AMD-V (CPUID.80000001h:ECX.SVM=0); under a hypervisor, "
					 "enable nested virtualization");
}

/* The SVM fields are only valid when CPUID says SVM. */
static void test_svm_fields_ignored_without_svm(void **state)
{
	struct cpu_raw raw = amd_full();
	struct virt_report rep;

	(void)state;
	raw.svm = false;
	virt_assess(&raw, &rep);
	assert_int_equal(rep.usable, VIRT_NONE);
	assert_false(rep.npt);
	assert_non_null(strstr(rep.why_not, "neither VT-x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_everything_usable),
		cmocka_unit_test(test_intel_locked_with_vmx_on_is_usable),
		cmocka_unit_test(test_intel_locked_with_vmx_off),
		cmocka_unit_test(test_intel_unlocked_with_vmx_off_is_usable),
		cmocka_unit_test(test_intel_without_secondary_controls),
		cmocka_unit_test(test_intel_without_ept),
		cmocka_unit_test(test_intel_without_unrestricted_guest),
		cmocka_unit_test(test_intel_without_preemption_timer),
		cmocka_unit_test(test_intel_without_vpid_is_still_usable),
		cmocka_unit_test(test_intel_firmware_lock_reported_before_missing_features),
		cmocka_unit_test(test_vmx_low_half_bits_do_not_count),
		cmocka_unit_test(test_amd_usable_with_nrip),
		cmocka_unit_test(test_amd_usable_without_nrip),
		cmocka_unit_test(test_amd_svmdis_without_lock),
		cmocka_unit_test(test_amd_svmdis_with_lock),
		cmocka_unit_test(test_amd_lock_alone_is_usable),
		cmocka_unit_test(test_amd_without_npt),
		cmocka_unit_test(test_neither_on_bare_metal),
		cmocka_unit_test(test_neither_under_a_hypervisor),
		cmocka_unit_test(test_svm_fields_ignored_without_svm),
	};

	return cmocka_run_group_tests_name("virt_features", tests, NULL, NULL);
}
