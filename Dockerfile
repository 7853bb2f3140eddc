# The marketplace service. Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Marketplace.Api/Marketplace.Api.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Folders for the volumes (Data Protection key ring, secrets key file, emulator state and admin key), owned by the app user.
RUN mkdir -p /home/app/.aspnet/DataProtection-Keys /home/app/keys /home/app/qiwi-emulator && chown -R $APP_UID /home/app
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Marketplace.Api.dll"]
