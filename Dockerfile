# pxc-probe agent image.
#   docker build -t pxc-probe:dev .
# Build stage: Maven on JDK 25 builds the distribution (jlink runtime + jars + launcher).
# Run stage: debian slim (the launcher is a POSIX shell script; netty epoll and JNA need glibc),
# as uid 65532 with nothing written outside /tmp (the chart mounts an in-memory /tmp, root read-only).
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml ./
COPY testkit/pom.xml testkit/pom.xml
COPY probe/pom.xml probe/pom.xml
COPY deploy/pom.xml deploy/pom.xml
COPY e2e/pom.xml e2e/pom.xml
COPY testkit testkit
COPY probe probe
COPY examples examples
RUN mvn -B -pl probe -am package -DskipTests \
 && test -x probe/target/pxc-probe/bin/pxc-probe

FROM debian:12-slim
RUN groupadd --gid 65532 pxc-probe \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin pxc-probe
COPY --from=build /src/probe/target/pxc-probe /opt/pxc-probe
# java-netraw: a copy of java with the file capability cap_net_raw, used only when the chart runs
# syn/auto mode (PXC_PROBE_RAW_SOCKETS=1), so a non-root agent can send half-open SYN probes
RUN apt-get update && apt-get install -y --no-install-recommends libcap2-bin patchelf \
 && /opt/pxc-probe/bin/enable-raw-sockets \
 && apt-get purge -y libcap2-bin patchelf && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
ENV HOME=/tmp
USER 65532:65532
EXPOSE 9797
ENTRYPOINT ["/opt/pxc-probe/bin/pxc-probe"]
CMD ["--config", "/etc/pxc-probe/config.yaml"]
