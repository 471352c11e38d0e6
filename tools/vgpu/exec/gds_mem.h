/*
 * The chip's GDS memory, in the instance's shared state so that every
 * process and ring sees one, as on the chip (memory/internal.h
 * mem_shared.gds).  A job reaches the bytes of its VMID partition
 * (exec_job.gds_base / gds_size, programmed by
 * gfx_v*_ring_emit_gds_switch); the shader core's DS instructions with
 * the gds bit go through these functions.
 */
#ifndef VGPU_EXEC_GDS_MEM_H
#define VGPU_EXEC_GDS_MEM_H
#include <stdint.h>

/* Bytes of GDS memory the vgpu keeps (the largest chip's). */
#define EXEC_GDS_MEM_BYTES 0x10000u

/* Takes the shared lock and returns the chip's GDS memory
 * (EXEC_GDS_MEM_BYTES bytes); exec_gds_mem_unlock gives it back.  One
 * DS instruction's accesses run between the two, so they are atomic with
 * respect to every other process's. */
uint8_t *exec_gds_mem_lock(void);
void exec_gds_mem_unlock(void);
#endif /* VGPU_EXEC_GDS_MEM_H */
