"""Decrypts an OpenPGP message with a librnp the way Thunderbird's OpenPGP does (RNP.sys.mjs: decrypt with
rnp_op_verify and the RNP_VERIFY_ALLOW_HIDDEN_RECIPIENT flag, so a session key packet with the wildcard key id is
tried with each secret key).

usage: rnp-decrypt.py LIBRNP MESSAGE OUTPUT SECRET_KEY_FILE...
Exit 0 and OUTPUT written when it decrypted; otherwise exit 1 with RNP's error code on stderr.
"""
import ctypes
import sys

RNP_LOAD_SAVE_PUBLIC_KEYS = 1
RNP_LOAD_SAVE_SECRET_KEYS = 2
RNP_VERIFY_ALLOW_HIDDEN_RECIPIENT = 4


def check(what, code):
    if code != 0:
        sys.stderr.write("%s failed: 0x%08x\n" % (what, code & 0xFFFFFFFF))
        sys.exit(1)


def main():
    lib = ctypes.CDLL(sys.argv[1])
    lib.rnp_op_verify_set_flags.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    ffi = ctypes.c_void_p()
    check("rnp_ffi_create", lib.rnp_ffi_create(ctypes.byref(ffi), b"GPG", b"GPG"))
    for key in sys.argv[4:]:
        keys = ctypes.c_void_p()
        check("rnp_input_from_path", lib.rnp_input_from_path(ctypes.byref(keys), key.encode()))
        check("rnp_load_keys", lib.rnp_load_keys(ffi, b"GPG", keys,
                                                 RNP_LOAD_SAVE_PUBLIC_KEYS | RNP_LOAD_SAVE_SECRET_KEYS))
        lib.rnp_input_destroy(keys)
    source = ctypes.c_void_p()
    target = ctypes.c_void_p()
    op = ctypes.c_void_p()
    check("rnp_input_from_path", lib.rnp_input_from_path(ctypes.byref(source), sys.argv[2].encode()))
    check("rnp_output_to_path", lib.rnp_output_to_path(ctypes.byref(target), sys.argv[3].encode()))
    check("rnp_op_verify_create", lib.rnp_op_verify_create(ctypes.byref(op), ffi, source, target))
    check("rnp_op_verify_set_flags", lib.rnp_op_verify_set_flags(op, RNP_VERIFY_ALLOW_HIDDEN_RECIPIENT))
    result = lib.rnp_op_verify_execute(op)
    lib.rnp_output_finish(target)
    lib.rnp_output_destroy(target)
    check("rnp_op_verify_execute", result)


if __name__ == "__main__":
    main()
