# The manager image for users with a container engine. `make image` builds
# the same image without one (hack/image): a static manager on an empty base,
# user 65532:65532, entrypoint /manager. CA roots and the zone database are
# compiled into the binary, so the image needs no files besides it.
FROM golang:1.26 AS builder
ARG TARGETOS
ARG TARGETARCH
WORKDIR /workspace
COPY go.mod go.sum ./
RUN go mod download
COPY api/ api/
COPY cmd/ cmd/
COPY controllers/ controllers/
COPY internal/ internal/
RUN CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH} go build -trimpath -ldflags="-s -w" -o manager ./cmd/manager

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.source="https://github.com/momentum-dev/momentum" \
      org.opencontainers.image.title="momentum-manager" \
      org.opencontainers.image.description="Momentum: customer-centric culture-change programs as Kubernetes resources" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=builder /workspace/manager /manager
USER 65532:65532
ENTRYPOINT ["/manager"]
