fn main() -> std::process::ExitCode {
    shiguang::cli::main()
}
