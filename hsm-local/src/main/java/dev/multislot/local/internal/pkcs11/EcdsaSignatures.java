package dev.multislot.local.internal.pkcs11;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/**
 * PKCS#11's CKM_ECDSA signs and verifies the raw {@code r || s} (each as long as the curve's
 * order); the protocol, like JCA, uses the DER {@code Ecdsa-Sig-Value}. These two convert.
 */
final class EcdsaSignatures {

    private EcdsaSignatures() {
    }

    static byte[] toDer(byte[] raw) {
        int n = raw.length / 2;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, n));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, n, raw.length));
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode an ECDSA signature", e);
        }
    }

    /**
     * @param fieldBytes the curve's order length: 32 for P-256, 48 for P-384
     * @throws IllegalArgumentException if {@code der} is not one DER SEQUENCE of two INTEGERs that fit
     */
    static byte[] toRaw(byte[] der, int fieldBytes) {
        ASN1Sequence seq;
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(der);
            seq = ASN1Sequence.getInstance(p);
            if (seq.size() != 2 || !Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
                throw new IllegalArgumentException("not a DER sequence of two integers");
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DER ECDSA signature: " + e.getMessage());
        }
        byte[] raw = new byte[2 * fieldBytes];
        put(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(), raw, 0, fieldBytes);
        put(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue(), raw, fieldBytes, fieldBytes);
        return raw;
    }

    private static void put(BigInteger v, byte[] out, int offset, int len) {
        if (v.signum() <= 0) {
            throw new IllegalArgumentException("an ECDSA signature value must be positive");
        }
        byte[] b = v.toByteArray();
        int start = b.length > len && b[0] == 0 ? 1 : 0;
        int n = b.length - start;
        if (n > len) {
            throw new IllegalArgumentException("an ECDSA signature value is longer than the curve's " + len + " bytes");
        }
        System.arraycopy(b, start, out, offset + len - n, n);
    }
}
