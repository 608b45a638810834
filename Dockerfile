# syntax=docker/dockerfile:1
# The certorder controller image: two static binaries (the controller and its
# DNS01 helper) on distroless, non-root.
#   docker build --build-arg VERSION=v0.1.0 -t ghcr.io/certorder/certorder:v0.1.0 .
# test/image checks this file and builds the binary the same way.

# The build stage runs on the builder's own platform and cross-compiles for
# TARGETARCH, so a multi-arch build needs no emulation. Base images are
# pinned by digest (not verified when written: see README, Releases).
FROM --platform=$BUILDPLATFORM golang:1.26.8@sha256:6c2a5538f964f1c82f97ad14988bf05de100d922d159d0e398b54c7b0ca0c6c9 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
ARG TARGETOS=linux
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/ . ./cmd/certorder-dns01

FROM gcr.io/distroless/static:nonroot@sha256:e2e927ec666bae08560abb3c55d0659eceabb657f56b6782ab500a9fc7f555e3
LABEL org.opencontainers.image.source="https://github.com/certorder/certorder" \
      org.opencontainers.image.description="cert-manager external issuer for DigiCert CertCentral and Openprovider SSL"
# certorder-dns01 runs the cloud DNS01 providers for certorder, which looks
# for it in its own directory.
COPY --from=build /out/certorder /out/certorder-dns01 /
USER 65532:65532
ENTRYPOINT ["/certorder"]
