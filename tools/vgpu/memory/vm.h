/*
 * GPU virtual address translation through a file's VM (the mappings made
 * with GEM_VA), for the parts of the vgpu that will execute GPU work.
 */
#ifndef VGPU_MEM_VM_H
#define VGPU_MEM_VM_H

#include <stddef.h>
#include <stdint.h>

struct vgpu_file;

/* Translates the GPU range [va, va+len) of file `f` to a host pointer.
 * The whole range must lie inside one mapping (-EFAULT otherwise, or if
 * nothing is mapped there, or the mapping is a PRT one without backing);
 * the mapping must be READABLE, and WRITEABLE when `write` (-EACCES).
 * Canonical high-half addresses are accepted (masked as the VM does).
 * The pointer stays valid while the BO has a handle in this process. */
int vgpu_vm_translate(struct vgpu_file *f, uint64_t va, size_t len, int write, void **host);

#endif /* VGPU_MEM_VM_H */
