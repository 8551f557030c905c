// HDF5 (Debian's serial build) for Swift, plus one-line wrappers for the macros and globals
// Swift cannot import (H5T_NATIVE_*, H5P_DEFAULT, H5F_ACC_*...). WukongHDF5 wraps all of it.
#ifndef CHDF5_SHIM_H
#define CHDF5_SHIM_H
#include <stdio.h>
#include <string.h>
#include <hdf5.h>

static inline hid_t chdf5_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }
static inline hid_t chdf5_p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t chdf5_p_file_access(void) { return H5P_FILE_ACCESS; }
static inline unsigned chdf5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline hsize_t chdf5_s_unlimited(void) { return H5S_UNLIMITED; }
static inline size_t chdf5_variable(void) { return H5T_VARIABLE; }

/// Turns off HDF5's automatic error printing; errors are collected with H5Ewalk2 instead.
static inline herr_t chdf5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// Collects the innermost messages of the current error stack into `buffer` ("; "-separated).
static inline herr_t chdf5_walk_cb(unsigned n, const H5E_error2_t *err, void *data) {
    char *buf = (char *)data;
    size_t used = strlen(buf);
    if (used > 900) return 0;
    if (used > 0) strncat(buf, "; ", 1023 - used);
    used = strlen(buf);
    const char *fn = err->func_name ? err->func_name : "?";
    const char *desc = err->desc ? err->desc : "";
    snprintf(buf + used, 1024 - used, "%s: %s", fn, desc);
    return 0;
}
static inline void chdf5_error_message(char *buffer, size_t size) {
    if (size < 1024) { if (size > 0) buffer[0] = 0; return; }
    buffer[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, chdf5_walk_cb, buffer);
    H5Eclear2(H5E_DEFAULT);
}
#endif
