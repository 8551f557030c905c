OPENQASM 3.0;
defcalgrammar "openpulse";
include "stdgates.inc";
// Gate lines go through the compiler with the calibrated rules, except where a defcal overrides
// them for this job: here sx on $0 is replaced by a user DRAG pulse and measure on $1 by a capture.
defcal sx $0 {
    play(q0_drive, drag(0.28, 30ns, 7.5ns, 0.0));
}
defcal measure $1 -> bit {
    return capture_v0(q1_readout);
}
bit[2] c;
sx $0;
cx $0, $1;
c[0] = measure $0;
c[1] = measure $1;
