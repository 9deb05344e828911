package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throw-away CA of one run, made with openssl, and the certificates it issues: one per Galera
 * host (and one for garbd), usable both to accept and to connect, as the operator's internal
 * certificate is. The agent never gets one: it must not need it.
 */
public final class Tls {
    private static final String DAYS = "2";

    private final Path caCert;
    private final Path caKey;

    private Tls(Path caCert, Path caKey) {
        this.caCert = caCert;
        this.caKey = caKey;
    }

    /** The files of one host, and the Galera provider options that use them. */
    public record HostFiles(Path ca, Path cert, Path key) {
        /** What {@code wsrep_provider_options} (and garbd's {@code --options}) gain. */
        public String providerOptions() {
            return "socket.ssl=yes;socket.ssl_ca=" + ca + ";socket.ssl_cert=" + cert + ";socket.ssl_key=" + key;
        }
    }

    /** Makes a new CA in {@code dir}. */
    static Tls createCa(Path dir, String name) {
        mkdirs(dir);
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        Proc.run(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-sha256",
                "-days",
                DAYS,
                "-keyout",
                key.toString(),
                "-out",
                crt.toString(),
                "-subj",
                "/CN=" + name,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        return new Tls(crt, key);
    }

    /**
     * Issues a certificate for {@code commonName} with SANs {@code dnsNames} and {@code ips} into
     * {@code dir} (with a copy of the CA certificate, so that the directory is all a host needs).
     */
    HostFiles issue(Path dir, String commonName, List<String> dnsNames, List<String> ips) {
        mkdirs(dir);
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path crt = dir.resolve("server.crt");
        Path ext = dir.resolve("server.ext");
        Path ca = dir.resolve("ca.crt");
        try {
            Files.copy(caCert, ca);
            String sans = Stream.concat(
                            dnsNames.stream().map(n -> "DNS:" + n), ips.stream().map(ip -> "IP:" + ip))
                    .collect(Collectors.joining(","));
            Files.writeString(
                    ext,
                    String.join(
                            "\n",
                            "basicConstraints=critical,CA:FALSE",
                            "keyUsage=critical,digitalSignature,keyEncipherment",
                            "extendedKeyUsage=serverAuth,clientAuth",
                            "subjectAltName=" + sans,
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Proc.run(
                "openssl",
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-sha256",
                "-keyout",
                key.toString(),
                "-out",
                csr.toString(),
                "-subj",
                "/CN=" + commonName);
        Proc.run(
                "openssl",
                "x509",
                "-req",
                "-sha256",
                "-days",
                DAYS,
                "-in",
                csr.toString(),
                "-CA",
                caCert.toString(),
                "-CAkey",
                caKey.toString(),
                "-set_serial",
                "0x" + Long.toHexString(System.nanoTime()),
                "-extfile",
                ext.toString(),
                "-out",
                crt.toString());
        Proc.run("openssl", "verify", "-CAfile", caCert.toString(), "-purpose", "sslserver", crt.toString());
        return new HostFiles(ca, crt, key);
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
