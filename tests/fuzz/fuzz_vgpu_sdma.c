/*
 * libFuzzer target for the vgpu's SDMA engine (exec/sdma.c): the input is
 * one IB run on the SDMA decoder in the fuzzer's own thread (see
 * fuzz_vgpu_job.h for the job it runs under and why).  Any IB must end as
 * a completed job or a reported fault/timeout, never a crash, a sanitizer
 * report, a leak, or an access outside the two mapped BOs.
 * fuzz_vgpu_cmd covers the same decoder end to end through the CS ioctl.
 */
#include "fuzz_vgpu_job.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_vgpu_setup("fuzz_vgpu_sdma", AMDGPU_HW_IP_DMA);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_vgpu_run(data, size);
	return 0;
}
