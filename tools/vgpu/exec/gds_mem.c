/*
 * The chip's GDS memory (exec/gds_mem.h), in the instance's shared state.
 */
#include "gds_mem.h"
#include "memory/internal.h"

_Static_assert(sizeof(((struct mem_shared *)0)->gds) == EXEC_GDS_MEM_BYTES,
	       "mem_shared.gds holds the largest chip's GDS");

uint8_t *exec_gds_mem_lock(void)
{
	mem_shared_lock();
	return mem_shared()->gds;
}

void exec_gds_mem_unlock(void)
{
	mem_shared_unlock();
}
