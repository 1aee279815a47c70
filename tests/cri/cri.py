#!/usr/bin/python3
"""The kubelet's part in the CRI suite: RuntimeService calls over a CRI socket, one a command.

    cri.py --socket SOCK --state DIR COMMAND ...

It compiles tests/cri/api.proto (the project's subset of CRI v1) into DIR/gen on first use,
as the kubelet would send them: pods in the node's network namespace, a pid namespace per
container, the pod's config sent again with each CreateContainer (kept in DIR/pods/ID.pb), and
container logs in DIR/logs/POD_ID/NAME_ATTEMPT.log. A failed call prints the method and the
runtime's reason on stderr and exits 1.
"""

import argparse
import importlib
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
POLL = 0.02


def load_api(state):
    gen = os.path.join(state, "gen")
    if not os.path.exists(os.path.join(gen, "api_pb2_grpc.py")):
        from grpc_tools import protoc

        os.makedirs(gen, exist_ok=True)
        args = ["protoc", "-I" + HERE, "--python_out=" + gen, "--grpc_python_out=" + gen,
                os.path.join(HERE, "api.proto")]
        if protoc.main(args) != 0:
            sys.exit("cri.py: protoc could not compile %s/api.proto" % HERE)
    sys.path.insert(0, gen)
    return importlib.import_module("api_pb2"), importlib.import_module("api_pb2_grpc")


def key_values(pairs):
    out = {}
    for p in pairs or []:
        if "=" not in p:
            sys.exit("cri.py: `%s` is not KEY=VALUE" % p)
        k, v = p.split("=", 1)
        out[k] = v
    return out


def mounts(pb, values):
    out = []
    for m in values or []:
        host, sep, path = m.partition(":")
        if not sep or not host.startswith("/") or not path.startswith("/"):
            sys.exit("cri.py: --mount `%s` is not HOST:CONTAINER, both absolute" % m)
        out.append(pb.Mount(host_path=host, container_path=path))
    return out


def seccomp_profile(pb, value):
    if value is None:
        return None
    if value == "unconfined":
        return pb.SecurityProfile(profile_type=pb.SecurityProfile.Unconfined)
    if value == "runtime-default":
        return pb.SecurityProfile(profile_type=pb.SecurityProfile.RuntimeDefault)
    if value.startswith("localhost:"):
        return pb.SecurityProfile(profile_type=pb.SecurityProfile.Localhost,
                                  localhost_ref=value[len("localhost:"):])
    sys.exit("cri.py: --seccomp `%s`: unconfined, runtime-default or localhost:PATH" % value)


class Client:
    def __init__(self, socket, state):
        import grpc

        self.grpc = grpc
        self.state = state
        self.pb, pb_grpc = load_api(state)
        self.channel = grpc.insecure_channel("unix://" + socket)
        self.rt = pb_grpc.RuntimeServiceStub(self.channel)

    def call(self, method, request, timeout=60):
        try:
            return getattr(self.rt, method)(request, timeout=timeout)
        except self.grpc.RpcError as e:
            sys.stderr.write("cri.py: %s: %s: %s\n" % (method, e.code().name, e.details()))
            sys.exit(1)

    def pod_path(self, pod_id):
        return os.path.join(self.state, "pods", pod_id + ".pb")

    def pod_config(self, pod_id):
        config = self.pb.PodSandboxConfig()
        with open(self.pod_path(pod_id), "rb") as f:
            config.ParseFromString(f.read())
        return config

    def status(self, cid):
        req = self.pb.ContainerStatusRequest(container_id=cid)
        return self.call("ContainerStatus", req).status

    def wait(self, cid, timeout):
        end = time.monotonic() + timeout
        while True:
            st = self.status(cid)
            if st.state == self.pb.CONTAINER_EXITED:
                return st
            if time.monotonic() > end:
                sys.stderr.write("cri.py: container %s has not exited after %gs (state %s)\n"
                                 % (cid, timeout, self.pb.ContainerState.Name(st.state)))
                sys.exit(2)
            time.sleep(POLL)


def log_text(path):
    """The container's output from a CRI log file (TIME STREAM TAG TEXT lines)."""
    out = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ", 3)
                if len(parts) == 4:
                    out.append(parts[3] + ("\n" if parts[2] == "F" else ""))
    except FileNotFoundError:
        pass
    return "".join(out)


def cmd_version(c, a):
    v = c.call("Version", c.pb.VersionRequest(version="v1"))
    print(v.runtime_name, v.runtime_version, v.runtime_api_version)


def cmd_pod(c, a):
    pb = c.pb
    uid = a.uid or "uid-%s-%s-%d" % (a.namespace, a.name, a.attempt)
    logs = os.path.join(c.state, "logs", "%s_%s_%s" % (a.namespace, a.name, uid))
    os.makedirs(logs, exist_ok=True)
    ns = pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD)
    config = pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name=a.name, uid=uid, namespace=a.namespace,
                                       attempt=a.attempt),
        log_directory=logs, annotations=key_values(a.annotation),
        labels={"io.kubernetes.pod.name": a.name, "io.kubernetes.pod.namespace": a.namespace},
        linux=pb.LinuxPodSandboxConfig(security_context=pb.LinuxSandboxSecurityContext(
            namespace_options=ns, seccomp=seccomp_profile(pb, a.seccomp))))
    r = c.call("RunPodSandbox", pb.RunPodSandboxRequest(config=config, runtime_handler=a.handler))
    os.makedirs(os.path.dirname(c.pod_path(r.pod_sandbox_id)), exist_ok=True)
    with open(c.pod_path(r.pod_sandbox_id), "wb") as f:
        f.write(config.SerializeToString())
    print(r.pod_sandbox_id)


def create(c, a):
    pb = c.pb
    pod = c.pod_config(a.pod)
    ns = pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD)
    sc = pb.LinuxContainerSecurityContext(namespace_options=ns,
                                          seccomp=seccomp_profile(pb, a.seccomp))
    config = pb.ContainerConfig(
        metadata=pb.ContainerMetadata(name=a.name, attempt=a.attempt),
        image=pb.ImageSpec(image=a.image), command=a.command[:1], args=a.command[1:],
        annotations=key_values(a.annotation), mounts=mounts(pb, a.mount),
        labels={"io.kubernetes.container.name": a.name},
        log_path="%s_%d.log" % (a.name, a.attempt),
        linux=pb.LinuxContainerConfig(security_context=sc))
    req = pb.CreateContainerRequest(pod_sandbox_id=a.pod, config=config, sandbox_config=pod)
    return c.call("CreateContainer", req).container_id


def cmd_create(c, a):
    print(create(c, a))


def cmd_start(c, a):
    c.call("StartContainer", c.pb.StartContainerRequest(container_id=a.id))


def cmd_wait(c, a):
    print(c.wait(a.id, a.timeout).exit_code)


def cmd_run(c, a):
    """create, start, wait: the container's output on stdout, its exit code as ours."""
    cid = create(c, a)
    c.call("StartContainer", c.pb.StartContainerRequest(container_id=cid))
    st = c.wait(cid, a.timeout)
    sys.stdout.write(log_text(st.log_path))
    if a.id_file:
        with open(a.id_file, "w") as f:
            f.write(cid + "\n")
    sys.exit(st.exit_code)


def cmd_logs(c, a):
    sys.stdout.write(log_text(c.status(a.id).log_path))


def cmd_status(c, a):
    st = c.status(a.id)
    print(c.pb.ContainerState.Name(st.state), st.exit_code, st.reason, st.message)


def cmd_stop(c, a):
    c.call("StopContainer", c.pb.StopContainerRequest(container_id=a.id, timeout=a.timeout))


def cmd_rm(c, a):
    c.call("RemoveContainer", c.pb.RemoveContainerRequest(container_id=a.id))


def cmd_pod_rm(c, a):
    """StopPodSandbox then RemovePodSandbox, as the kubelet ends a pod."""
    c.call("StopPodSandbox", c.pb.StopPodSandboxRequest(pod_sandbox_id=a.pod))
    c.call("RemovePodSandbox", c.pb.RemovePodSandboxRequest(pod_sandbox_id=a.pod))
    try:
        os.unlink(c.pod_path(a.pod))
    except FileNotFoundError:
        pass


def container_args(p):
    p.add_argument("pod")
    p.add_argument("name")
    p.add_argument("--image", required=True)
    p.add_argument("--attempt", type=int, default=0)
    p.add_argument("--annotation", action="append")
    p.add_argument("--seccomp", help="unconfined, runtime-default or localhost:PATH")
    p.add_argument("--mount", action="append", help="HOST:CONTAINER, a bind mount")
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("command", nargs="+")


def main():
    ap = argparse.ArgumentParser(prog="cri.py")
    ap.add_argument("--socket", required=True)
    ap.add_argument("--state", required=True)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("version").set_defaults(fn=cmd_version)
    p = sub.add_parser("pod")
    p.add_argument("name")
    p.add_argument("--namespace", default="default")
    p.add_argument("--uid")
    p.add_argument("--attempt", type=int, default=0)
    p.add_argument("--annotation", action="append")
    p.add_argument("--handler", default="")
    p.add_argument("--seccomp")
    p.set_defaults(fn=cmd_pod)
    p = sub.add_parser("create")
    container_args(p)
    p.set_defaults(fn=cmd_create)
    p = sub.add_parser("run")
    container_args(p)
    p.add_argument("--id-file")
    p.set_defaults(fn=cmd_run)
    for name, fn in (("start", cmd_start), ("logs", cmd_logs), ("status", cmd_status),
                     ("rm", cmd_rm)):
        p = sub.add_parser(name)
        p.add_argument("id")
        p.set_defaults(fn=fn)
    p = sub.add_parser("wait")
    p.add_argument("id")
    p.add_argument("--timeout", type=float, default=30)
    p.set_defaults(fn=cmd_wait)
    p = sub.add_parser("stop")
    p.add_argument("id")
    p.add_argument("--timeout", type=int, default=0)
    p.set_defaults(fn=cmd_stop)
    p = sub.add_parser("pod-rm")
    p.add_argument("pod")
    p.set_defaults(fn=cmd_pod_rm)
    a = ap.parse_args()
    a.fn(Client(a.socket, a.state), a)


if __name__ == "__main__":
    main()
