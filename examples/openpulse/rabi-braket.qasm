OPENQASM 3.0;
defcalgrammar "openpulse";
// A Braket-style pulse program: a DRAG π pulse on qubit 1's predefined drive frame, then a
// discriminated capture into psb[0] and an IQ capture of qubit 0 (left in |0⟩).
cal {
    bit[1] psb;
    waveform pi_pulse = drag(0.56, 30ns, 7.5ns, 0.0);
    play(q1_drive, pi_pulse);
    psb[0] = capture_v0(q1_readout);
    complex[float[64]] iq0 = capture_v1(q0_readout);
}
