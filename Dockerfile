# The marketplace service. Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore in its own layer: it is redone only when a project file or the package versions change.
COPY global.json Directory.Build.props Directory.Packages.props Marketplace.sln ./
COPY src/Marketplace.Domain/Marketplace.Domain.csproj src/Marketplace.Domain/
COPY src/Marketplace.Application/Marketplace.Application.csproj src/Marketplace.Application/
COPY src/Marketplace.Infrastructure/Marketplace.Infrastructure.csproj src/Marketplace.Infrastructure/
COPY src/Marketplace.Rails.Qiwi/Marketplace.Rails.Qiwi.csproj src/Marketplace.Rails.Qiwi/
COPY src/Marketplace.QiwiEmulator/Marketplace.QiwiEmulator.csproj src/Marketplace.QiwiEmulator/
COPY src/Marketplace.Api/Marketplace.Api.csproj src/Marketplace.Api/
COPY migrations/Marketplace.Migrations.PostgreSql/Marketplace.Migrations.PostgreSql.csproj migrations/Marketplace.Migrations.PostgreSql/
COPY migrations/Marketplace.Migrations.Sqlite/Marketplace.Migrations.Sqlite.csproj migrations/Marketplace.Migrations.Sqlite/
RUN dotnet restore src/Marketplace.Api/Marketplace.Api.csproj
COPY src/ src/
COPY migrations/ migrations/
RUN dotnet publish src/Marketplace.Api/Marketplace.Api.csproj -c Release --no-restore -o /app \
    && dotnet publish src/Marketplace.QiwiEmulator/Marketplace.QiwiEmulator.csproj -c Release --no-restore -o /emulator

# The QIWI emulator on its own (target "emulator"): the sandbox wallet API that several service
# instances share (docker-compose.scale.yml). Not the default target: that is the service, below.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS emulator
WORKDIR /app
COPY --from=build /emulator .
RUN mkdir -p /home/app/data && chown -R $APP_UID /home/app && chmod 700 /home/app/data
ENV ASPNETCORE_URLS=http://+:5090 \
    QiwiEmulator__StateFile=/home/app/data/qiwi-emulator.json
EXPOSE 5090
USER $APP_UID
ENTRYPOINT ["dotnet", "Marketplace.QiwiEmulator.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Everything written at run time lives under /home/app, owned by the non-root app user: the
# secrets key file (when no key is configured), and (on SQLite or in Sandbox) the database, the
# emulator's wallets and its admin key. The token key ring is in the database. /app itself stays
# read-only for that user.
RUN mkdir -p /home/app/keys /home/app/data \
    && chown -R $APP_UID /home/app && chmod 700 /home/app/keys /home/app/data
ENV ASPNETCORE_URLS=http://+:8080 \
    Secrets__KeyFile=/home/app/keys/secret-keys.json \
    ConnectionStrings__Marketplace="Data Source=/home/app/data/marketplace.db" \
    QiwiEmulator__StateFile=/home/app/data/qiwi-emulator.json \
    QiwiEmulator__AdminKeyFile=/home/app/keys/qiwi-emulator-admin-key
EXPOSE 8080
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["dotnet", "Marketplace.Api.dll", "healthcheck"]
# Marketplace__Mode must be given (Sandbox or Live): the image does not choose for the operator.
ENTRYPOINT ["dotnet", "Marketplace.Api.dll"]
