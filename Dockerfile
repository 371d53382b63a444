# Parvis in a small image. SQLite needs cgo, so the binary is linked against glibc and runs on
# distroless/cc (glibc, CA certificates, a non-root user, no shell): about 30 MB in all.
#
#   docker build -t parvis .
#   docker run -p 8080:8080 -v parvis-data:/data parvis
#
# The first start prints a one-time link to create the first administrator (docker logs).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The same command builds the binary outside Docker.
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/parvis . \
 && mkdir -p /out/data

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/parvis /usr/local/bin/parvis
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV PARVIS_DATA_DIR=/data \
    PARVIS_LISTEN=0.0.0.0:8080
VOLUME /data
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/usr/local/bin/parvis"]
CMD ["serve"]
