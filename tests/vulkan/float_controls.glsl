// f32 denormals preserved (SPV_KHR_float_controls DenormPreserve for 32-bit
// floats): RADV then programs COMPUTE_PGM_RSRC1.FLOAT_MODE 0xf0 instead of
// its default 0xc0 (f32 denormals flushed).  The vgpu's shader core runs
// only FLOAT_MODE 0xf0 so far (docs/vgpu.md, the RADV table); every suite
// shader includes this file.
#extension GL_EXT_spirv_intrinsics : require
// capability 4464 DenormPreserve, execution mode 4459 DenormPreserve (core
// in SPIR-V 1.4+, which --target-env vulkan1.2 produces)
spirv_execution_mode(capabilities = [4464], 4459, 32);
